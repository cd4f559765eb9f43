using System.Data.Common;

namespace StemeQL;

/// <summary>Creates StemeQL provider objects; register it with <see cref="DbProviderFactories"/> as "StemeQL".</summary>
public sealed class StemeFactory : DbProviderFactory
{
    /// <summary>The one instance.</summary>
    public static readonly StemeFactory Instance = new();

    private StemeFactory() { }

    /// <inheritdoc />
    public override DbCommand CreateCommand() => new StemeCommand();

    /// <inheritdoc />
    public override DbConnection CreateConnection() => new StemeConnection();

    /// <inheritdoc />
    public override DbConnectionStringBuilder CreateConnectionStringBuilder() => new StemeConnectionStringBuilder();

    /// <inheritdoc />
    public override DbParameter CreateParameter() => new StemeParameter();

    /// <inheritdoc />
    public override bool CanCreateDataSourceEnumerator => false;

    /// <inheritdoc />
    public override bool CanCreateDataAdapter => true;

    /// <inheritdoc />
    public override DbDataAdapter CreateDataAdapter() => new StemeDataAdapter();

    /// <summary>
    /// None: StemeQL stores are append-only (no UPDATE or DELETE), so there is nothing a command builder
    /// could generate for <see cref="DbDataAdapter.Update(System.Data.DataSet)"/>. Write with ASSERT and VOTE.
    /// </summary>
    public override bool CanCreateCommandBuilder => false;

    /// <summary>A data source for <paramref name="connectionString"/>.</summary>
    public override StemeDataSource CreateDataSource(string connectionString) => StemeDataSource.Create(connectionString);

    /// <inheritdoc />
    public override bool CanCreateBatch => true;

    /// <inheritdoc />
    public override DbBatch CreateBatch() => new StemeBatch();

    /// <inheritdoc />
    public override DbBatchCommand CreateBatchCommand() => new StemeBatchCommand();
}
