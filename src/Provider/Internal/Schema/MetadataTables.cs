using System.Data;
using System.Data.Common;
using StemeQL.Planner.Binding;
using StemeQL.Planner.Parsing;

namespace StemeQL.Internal.Schema;

/// <summary>The collections every ADO.NET provider serves, with the standard column names (<see cref="DbMetaDataColumnNames"/>).</summary>
internal static class MetadataTables
{
    public static DataTable MetaDataCollections() => TableBuilder.Build(DbMetaDataCollectionNames.MetaDataCollections,
        [(DbMetaDataColumnNames.CollectionName, typeof(string)), (DbMetaDataColumnNames.NumberOfRestrictions, typeof(int)),
         (DbMetaDataColumnNames.NumberOfIdentifierParts, typeof(int))],
        SchemaCollections.All.Select(c => new object?[] { c.Name, c.Restrictions.Count, c.Restrictions.Count }));

    public static DataTable Restrictions() => TableBuilder.Build(DbMetaDataCollectionNames.Restrictions,
        [("CollectionName", typeof(string)), ("RestrictionName", typeof(string)), ("RestrictionDefault", typeof(string)), ("RestrictionNumber", typeof(int))],
        SchemaCollections.All.SelectMany(c => c.Restrictions.Select((r, i) => new object?[] { c.Name, r, null, i + 1 })));

    /// <summary>The reserved keywords of the grammar (they need double quotes to serve as names).</summary>
    public static DataTable ReservedWords() => TableBuilder.Build(DbMetaDataCollectionNames.ReservedWords,
        [(DbMetaDataColumnNames.ReservedWord, typeof(string))],
        Keywords.Reserved.Order(StringComparer.Ordinal).Select(w => new object?[] { w }));

    public static DataTable DataSourceInformation(StemeConnection connection) => TableBuilder.Build(DbMetaDataCollectionNames.DataSourceInformation,
        [
            (DbMetaDataColumnNames.CompositeIdentifierSeparatorPattern, typeof(string)),
            (DbMetaDataColumnNames.DataSourceProductName, typeof(string)),
            (DbMetaDataColumnNames.DataSourceProductVersion, typeof(string)),
            (DbMetaDataColumnNames.DataSourceProductVersionNormalized, typeof(string)),
            (DbMetaDataColumnNames.GroupByBehavior, typeof(GroupByBehavior)),
            (DbMetaDataColumnNames.IdentifierPattern, typeof(string)),
            (DbMetaDataColumnNames.IdentifierCase, typeof(IdentifierCase)),
            (DbMetaDataColumnNames.OrderByColumnsInSelect, typeof(bool)),
            (DbMetaDataColumnNames.ParameterMarkerFormat, typeof(string)),
            (DbMetaDataColumnNames.ParameterMarkerPattern, typeof(string)),
            (DbMetaDataColumnNames.ParameterNameMaxLength, typeof(int)),
            (DbMetaDataColumnNames.ParameterNamePattern, typeof(string)),
            (DbMetaDataColumnNames.QuotedIdentifierPattern, typeof(string)),
            (DbMetaDataColumnNames.QuotedIdentifierCase, typeof(IdentifierCase)),
            (DbMetaDataColumnNames.StatementSeparatorPattern, typeof(string)),
            (DbMetaDataColumnNames.StringLiteralPattern, typeof(string)),
            (DbMetaDataColumnNames.SupportedJoinOperators, typeof(SupportedJoinOperators)),
        ],
        [[
            "", "StemeQL", connection.ServerVersion, connection.ServerVersion,
            GroupByBehavior.Unrelated,
            "^[A-Za-z_][A-Za-z0-9_]*$", IdentifierCase.Insensitive,
            false,
            "@{0}", "@[A-Za-z_][A-Za-z0-9_]*", 128, "^[A-Za-z_][A-Za-z0-9_]*$",
            "\"((?:[^\"]|\"\")*)\"", IdentifierCase.Sensitive,
            ";", "'(([^']|'')*)'",
            SupportedJoinOperators.None,
        ]]);

    /// <summary>The StemeQL column types with the CLR type each reads as.</summary>
    public static DataTable DataTypes() => TableBuilder.Build(DbMetaDataCollectionNames.DataTypes,
        [
            (DbMetaDataColumnNames.TypeName, typeof(string)), (DbMetaDataColumnNames.ProviderDbType, typeof(int)),
            (DbMetaDataColumnNames.ColumnSize, typeof(long)), (DbMetaDataColumnNames.CreateFormat, typeof(string)),
            (DbMetaDataColumnNames.DataType, typeof(string)), (DbMetaDataColumnNames.IsAutoIncrementable, typeof(bool)),
            (DbMetaDataColumnNames.IsBestMatch, typeof(bool)), (DbMetaDataColumnNames.IsCaseSensitive, typeof(bool)),
            (DbMetaDataColumnNames.IsFixedLength, typeof(bool)), (DbMetaDataColumnNames.IsFixedPrecisionScale, typeof(bool)),
            (DbMetaDataColumnNames.IsLong, typeof(bool)), (DbMetaDataColumnNames.IsNullable, typeof(bool)),
            (DbMetaDataColumnNames.IsSearchable, typeof(bool)), (DbMetaDataColumnNames.IsSearchableWithLike, typeof(bool)),
            (DbMetaDataColumnNames.IsUnsigned, typeof(bool)), (DbMetaDataColumnNames.IsLiteralSupported, typeof(bool)),
            (DbMetaDataColumnNames.LiteralPrefix, typeof(string)), (DbMetaDataColumnNames.LiteralSuffix, typeof(string)),
        ],
        Enum.GetValues<ColumnType>().Select(type => new object?[]
        {
            FieldConverter.TypeName(type), (int)type, -1L, null,
            FieldConverter.ClrType(type).FullName, false,
            true, type is ColumnType.Text or ColumnType.Object,
            type is not (ColumnType.Text or ColumnType.Bytes or ColumnType.Object), false,
            type is ColumnType.Bytes, true,
            true, type is ColumnType.Text,
            false, type is not (ColumnType.Object or ColumnType.Timestamp),
            LiteralPrefix(type), LiteralSuffix(type),
        }));

    private static string? LiteralPrefix(ColumnType type) => type switch
    {
        ColumnType.Text => "'",
        ColumnType.Bytes => "X'",
        _ => null,
    };

    private static string? LiteralSuffix(ColumnType type) => type is ColumnType.Text or ColumnType.Bytes ? "'" : null;
}
