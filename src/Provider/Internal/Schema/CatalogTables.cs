using System.Data;
using StemeQL.Core.Lenses;
using StemeQL.Planner.Binding;

namespace StemeQL.Internal.Schema;

/// <summary>StemeQL's own collections: what a query can name (relations, their columns, lenses).</summary>
internal static class CatalogTables
{
    public static DataTable Relations() => TableBuilder.Build(SchemaCollections.Relations,
        [("RelationName", typeof(string)), ("RelationType", typeof(string)), ("ColumnCount", typeof(int))],
        Relation.All.Values.Select(r => new object?[] { r.Name, RelationType(r), r.Columns.Count }));

    // agents is derived from the ledger (counted per agent), not a ledger of its own.
    private static string RelationType(Relation relation) =>
        relation.Name.StartsWith("stemeql_", StringComparison.Ordinal) ? "system" : relation == Relation.Agents ? "derived" : "ledger";

    public static DataTable Columns() => TableBuilder.Build(SchemaCollections.Columns,
        [("RelationName", typeof(string)), ("ColumnName", typeof(string)), ("OrdinalPosition", typeof(int)),
         ("DataTypeName", typeof(string)), ("DataType", typeof(string)), ("IsNullable", typeof(bool))],
        Relation.All.Values.SelectMany(r => r.Columns.Select((c, i) => new object?[]
        {
            r.Name, c.Name, i + 1, FieldConverter.TypeName(c.Type), FieldConverter.ClrType(c.Type).FullName, true,
        })));

    /// <summary>Every lens name the language accepts: whether this version evaluates it, and whether the open store keeps a view of it.</summary>
    public static DataTable Lenses(StemeConnection connection)
    {
        var materialized = connection.Session.Store.MaterializedLenses;
        return TableBuilder.Build(SchemaCollections.Lenses,
            [("LensName", typeof(string)), ("IsAvailable", typeof(bool)), ("IsMaterialized", typeof(bool))],
            LensNames.Available.Keys.Order(StringComparer.Ordinal).Concat(LensNames.Planned).Select(name => new object?[]
            {
                name, LensNames.Available.ContainsKey(name), materialized.Contains(name, StringComparer.OrdinalIgnoreCase),
            }));
    }
}
