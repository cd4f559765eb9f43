using System.Data;
using System.Data.Common;

namespace StemeQL;

/// <summary>
/// Fills a <see cref="DataTable"/> or <see cref="DataSet"/> from a query (<see cref="DbDataAdapter.Fill(DataSet)"/>,
/// <see cref="DbDataAdapter.FillSchema(DataTable, SchemaType)"/>). StemeQL stores are append-only, with no
/// UPDATE or DELETE, so <c>Update</c> throws <see cref="NotSupportedException"/> and there is no command builder:
/// write new facts with ASSERT and VOTE instead.
/// </summary>
public sealed class StemeDataAdapter : DbDataAdapter
{
    /// <summary>An adapter with no select command.</summary>
    public StemeDataAdapter() { }

    /// <summary>An adapter that fills from <paramref name="selectCommand"/>.</summary>
    public StemeDataAdapter(StemeCommand selectCommand) => SelectCommand = selectCommand;

    /// <summary>An adapter that fills from <paramref name="selectCommandText"/> run on <paramref name="connection"/>.</summary>
    public StemeDataAdapter(string selectCommandText, StemeConnection connection) => SelectCommand = new StemeCommand(selectCommandText, connection);

    /// <summary>The query that fills tables. The adapter opens its connection if closed, and closes it again.</summary>
    public new StemeCommand? SelectCommand
    {
        get => (StemeCommand?)base.SelectCommand;
        set => base.SelectCommand = value;
    }

    /// <summary>Not supported: an append-only store has no rows to update or delete.</summary>
    protected override int Update(DataRow[] dataRows, DataTableMapping tableMapping) =>
        throw new NotSupportedException("StemeQL stores are append-only (no UPDATE or DELETE), so a data adapter cannot write changed rows back: write new facts with ASSERT and VOTE.");
}
