using StemeQL.Core.Lenses;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Postgres;

namespace StemeQL.Storage.Tests;

/// <summary>
/// <see cref="PgReadShape.OneSet"/> spells out, field by field, the shape <see cref="PgReadShape.For"/> gives a view read of one
/// set, so a one-set lookup binds the general path's statement without a <see cref="KeyFilter"/>: the two must stay equal.
/// </summary>
public sealed class PgReadShapeTests
{
    public static TheoryData<AssertionFields> FieldSets => new(
        AssertionFields.None, AssertionFields.Object, AssertionFields.All, AssertionFields.Tallies,
        AssertionFields.Hash | AssertionFields.Lineage, AssertionFields.Subject | AssertionFields.Predicate | AssertionFields.AssertedAt);

    [Theory]
    [MemberData(nameof(FieldSets))]
    public void The_one_set_shape_is_the_general_shape_of_a_view_read_of_one_set(AssertionFields fields)
    {
        foreach (string lens in new[] { LensNames.Consensus, LensNames.Recency })
        {
            var general = PgReadShape.For(StoreRelation.View, false, new KeyFilter(["paris"], ["capital_of"]) { Fields = fields }, long.MaxValue, lens);
            Assert.Equal(general, PgReadShape.OneSet(lens, fields));
        }
    }
}
