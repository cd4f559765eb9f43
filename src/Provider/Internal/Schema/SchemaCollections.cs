using System.Data;
using System.Globalization;

namespace StemeQL.Internal.Schema;

/// <summary>
/// The collections <see cref="StemeConnection.GetSchema(string, string?[])"/> serves: the five every
/// ADO.NET provider has, and StemeQL's own Relations, Columns and Lenses. Names match case-insensitively.
/// </summary>
internal static class SchemaCollections
{
    /// <summary>StemeQL's relations (the <c>FROM</c> targets).</summary>
    public const string Relations = "Relations";

    /// <summary>The columns of every relation.</summary>
    public const string Columns = "Columns";

    /// <summary>The lenses the language knows.</summary>
    public const string Lenses = "Lenses";

    /// <summary>Every collection: its name, its restrictions in order, and how to build it.</summary>
    public static readonly IReadOnlyList<SchemaCollection> All =
    [
        new(System.Data.Common.DbMetaDataCollectionNames.MetaDataCollections, [], _ => MetadataTables.MetaDataCollections()),
        new(System.Data.Common.DbMetaDataCollectionNames.DataSourceInformation, [], MetadataTables.DataSourceInformation),
        new(System.Data.Common.DbMetaDataCollectionNames.DataTypes, [], _ => MetadataTables.DataTypes()),
        new(System.Data.Common.DbMetaDataCollectionNames.Restrictions, [], _ => MetadataTables.Restrictions()),
        new(System.Data.Common.DbMetaDataCollectionNames.ReservedWords, [], _ => MetadataTables.ReservedWords()),
        new(Relations, ["RelationName"], _ => CatalogTables.Relations()),
        new(Columns, ["RelationName", "ColumnName"], _ => CatalogTables.Columns()),
        new(Lenses, ["LensName"], CatalogTables.Lenses),
    ];

    /// <summary>The collection named <paramref name="name"/>, filtered by <paramref name="restrictions"/>.</summary>
    public static DataTable Get(StemeConnection connection, string name, string?[]? restrictions)
    {
        ArgumentNullException.ThrowIfNull(name);
        var collection = All.FirstOrDefault(c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException(
                $"There is no schema collection '{name}': use one of {string.Join(", ", All.Select(c => c.Name))} (GetSchema() lists them).", nameof(name));
        restrictions ??= [];
        if (restrictions.Length > collection.Restrictions.Count)
            throw new ArgumentException(
                $"The {collection.Name} collection takes at most {collection.Restrictions.Count} restriction(s) ({string.Join(", ", collection.Restrictions)}), not {restrictions.Length}.",
                nameof(restrictions));
        var table = collection.Build(connection);
        table.TableName = collection.Name;
        Filter(table, collection.Restrictions, restrictions);
        return table;
    }

    // A null restriction matches everything; a value matches its column case-insensitively, as names do in StemeQL.
    private static void Filter(DataTable table, IReadOnlyList<string> names, string?[] values)
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (values[i] is not { } wanted) continue;
            foreach (var row in table.Rows.Cast<DataRow>().ToList())
            {
                if (!string.Equals(Convert.ToString(row[names[i]], CultureInfo.InvariantCulture), wanted, StringComparison.OrdinalIgnoreCase))
                    table.Rows.Remove(row);
            }
        }
    }
}

/// <summary>One schema collection.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Restrictions">The columns a restriction filters, in order.</param>
/// <param name="Build">Builds the whole table for an open connection.</param>
internal sealed record SchemaCollection(string Name, IReadOnlyList<string> Restrictions, Func<StemeConnection, DataTable> Build);
