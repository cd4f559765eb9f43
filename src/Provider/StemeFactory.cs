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
    public override bool CanCreateBatch => true;

    /// <inheritdoc />
    public override DbBatch CreateBatch() => new StemeBatch();

    /// <inheritdoc />
    public override DbBatchCommand CreateBatchCommand() => new StemeBatchCommand();
}
