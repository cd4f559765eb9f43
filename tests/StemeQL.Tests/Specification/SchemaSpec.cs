using System.Data;
using System.Data.Common;

namespace StemeQL.Tests.Specification;

/// <summary>StemeConnection.GetSchema: the standard collections and StemeQL's own.</summary>
public sealed class SchemaSpec : SpecFixture
{
    private static List<string> Column(DataTable table, string column) =>
        table.Rows.Cast<DataRow>().Select(r => (string)r[column]).ToList();

    [Fact]
    public void GetSchema_without_a_name_lists_every_collection()
    {
        var names = Column(Connection.GetSchema(), DbMetaDataColumnNames.CollectionName);
        Assert.Equal(["MetaDataCollections", "DataSourceInformation", "DataTypes", "Restrictions", "ReservedWords", "Relations", "Columns", "Lenses"], names);
    }

    [Fact]
    public void Every_listed_collection_can_be_read()
    {
        foreach (var name in Column(Connection.GetSchema(), DbMetaDataColumnNames.CollectionName))
            Assert.Equal(name, Connection.GetSchema(name).TableName);
    }

    [Fact]
    public void Collection_names_match_case_insensitively()
    {
        Assert.Equal("Relations", Connection.GetSchema("relations").TableName);
    }

    [Fact]
    public void An_unknown_collection_throws_ArgumentException()
    {
        Assert.Throws<ArgumentException>(() => Connection.GetSchema("Tables"));
    }

    [Fact]
    public void GetSchema_throws_InvalidOperationException_on_a_closed_connection()
    {
        using var closed = new StemeConnection(Database.ConnectionString());
        Assert.Throws<InvalidOperationException>(() => closed.GetSchema());
    }

    [Fact]
    public void DataSourceInformation_names_the_product_and_the_parameter_marker()
    {
        var row = Connection.GetSchema(DbMetaDataCollectionNames.DataSourceInformation).Rows.Cast<DataRow>().Single();
        Assert.Equal("StemeQL", row[DbMetaDataColumnNames.DataSourceProductName]);
        Assert.Equal("@{0}", row[DbMetaDataColumnNames.ParameterMarkerFormat]);
    }

    [Fact]
    public void DataTypes_lists_every_column_type_with_its_clr_type()
    {
        var types = Connection.GetSchema(DbMetaDataCollectionNames.DataTypes).Rows.Cast<DataRow>()
            .ToDictionary(r => (string)r[DbMetaDataColumnNames.TypeName], r => (string)r[DbMetaDataColumnNames.DataType]);
        Assert.Equal("System.Int64", types["integer"]);
        Assert.Equal("System.Byte[]", types["bytes"]);
        Assert.Equal(7, types.Count);
    }

    [Fact]
    public void ReservedWords_holds_the_reserved_keywords_of_the_grammar()
    {
        var words = Column(Connection.GetSchema(DbMetaDataCollectionNames.ReservedWords), DbMetaDataColumnNames.ReservedWord);
        Assert.Contains("SELECT", words);
        Assert.Contains("ASSERT", words);
        Assert.DoesNotContain("LSN", words);
    }

    [Fact]
    public void Restrictions_lists_the_restrictions_of_StemeQLs_collections()
    {
        var restrictions = Connection.GetSchema(DbMetaDataCollectionNames.Restrictions).Rows.Cast<DataRow>()
            .Select(r => $"{r["CollectionName"]}.{r["RestrictionName"]}").ToList();
        Assert.Equal(["Relations.RelationName", "Columns.RelationName", "Columns.ColumnName", "Lenses.LensName"], restrictions);
    }

    [Fact]
    public void Relations_lists_what_FROM_can_name()
    {
        var relations = Column(Connection.GetSchema("Relations"), "RelationName");
        Assert.Contains("assertions", relations);
        Assert.Contains("votes", relations);
    }

    [Fact]
    public void Columns_restricted_to_a_relation_lists_its_columns_in_order()
    {
        var columns = Connection.GetSchema("Columns", ["votes"]);
        Assert.Equal(["assertion", "agent", "weight", "voted_at", "lsn"], Column(columns, "ColumnName"));
        Assert.Equal("real", columns.Rows[2]["DataTypeName"]);
    }

    [Fact]
    public void Columns_restricted_to_a_relation_and_a_column_gives_one_row()
    {
        var columns = Connection.GetSchema("Columns", ["assertions", "object"]);
        Assert.Equal("object", (string)columns.Rows.Cast<DataRow>().Single()["DataTypeName"]);
    }

    [Fact]
    public void A_null_restriction_matches_everything()
    {
        Assert.Equal(Connection.GetSchema("Columns").Rows.Count, Connection.GetSchema("Columns", [null, null]).Rows.Count);
    }

    [Fact]
    public void Too_many_restrictions_throw_ArgumentException()
    {
        Assert.Throws<ArgumentException>(() => Connection.GetSchema("Relations", ["assertions", "extra"]));
    }

    [Fact]
    public void Lenses_tells_which_are_available_and_which_are_materialized()
    {
        var lenses = Connection.GetSchema("Lenses").Rows.Cast<DataRow>().ToDictionary(r => (string)r["LensName"]);
        Assert.True((bool)lenses["consensus"]["IsAvailable"]);
        Assert.False((bool)lenses["skeptic"]["IsAvailable"]);
        Assert.False((bool)lenses["skeptic"]["IsMaterialized"]);
    }
}
