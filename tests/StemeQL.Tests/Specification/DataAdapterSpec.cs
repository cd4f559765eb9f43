using System.Data;

namespace StemeQL.Tests.Specification;

/// <summary>StemeDataAdapter: fills tables; an append-only store has nothing to update.</summary>
public sealed class DataAdapterSpec : SpecFixture
{
    public DataAdapterSpec() => new StemeCommand("ASSERT ('a', 'rank', 1), ('b', 'rank', 2)", Connection).ExecuteNonQuery();

    private const string Ranks = "SELECT subject, lsn FROM assertions ORDER BY subject";

    [Fact]
    public void Fill_fills_a_DataTable_with_the_rows_and_typed_columns()
    {
        var table = new DataTable();
        Assert.Equal(2, new StemeDataAdapter(Ranks, Connection).Fill(table));
        Assert.Equal(["a", "b"], table.Rows.Cast<DataRow>().Select(r => (string)r["subject"]));
        Assert.Equal(typeof(long), table.Columns["lsn"]!.DataType);
    }

    [Fact]
    public void Fill_fills_a_DataSet_with_one_table_per_result_set()
    {
        var set = new DataSet();
        new StemeDataAdapter(Ranks + "; SELECT agent FROM assertions", Connection).Fill(set);
        Assert.Equal(2, set.Tables.Count);
        Assert.Equal("alice", set.Tables[1].Rows[0]["agent"]);
    }

    [Fact]
    public void Fill_opens_a_closed_connection_and_closes_it_again()
    {
        // Another connection wrote the rows: wait for every write (the default only waits for its own).
        using var closed = new StemeConnection(Database.ConnectionString() + ";Consistency=Process");
        var table = new DataTable();
        new StemeDataAdapter(Ranks, closed).Fill(table);
        Assert.Equal(2, table.Rows.Count);
        Assert.Equal(ConnectionState.Closed, closed.State);
    }

    [Fact]
    public void FillSchema_gives_the_columns_without_rows()
    {
        var table = new DataTable();
        new StemeDataAdapter(Ranks, Connection).FillSchema(table, SchemaType.Source);
        Assert.Equal(["subject", "lsn"], table.Columns.Cast<DataColumn>().Select(c => c.ColumnName));
        Assert.Empty(table.Rows);
    }

    [Fact]
    public void Update_throws_NotSupportedException_because_the_store_is_append_only()
    {
        var table = new DataTable();
        var adapter = new StemeDataAdapter(Ranks, Connection);
        adapter.Fill(table);
        table.Rows[0]["subject"] = "z";
        Assert.Throws<NotSupportedException>(() => adapter.Update(table));
    }

    [Fact]
    public void The_factory_creates_an_adapter_and_no_command_builder()
    {
        Assert.IsType<StemeDataAdapter>(StemeFactory.Instance.CreateDataAdapter());
        Assert.True(StemeFactory.Instance.CanCreateDataAdapter);
        Assert.False(StemeFactory.Instance.CanCreateCommandBuilder);
        Assert.Null(StemeFactory.Instance.CreateCommandBuilder());
    }
}
