using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Embedded;
using StemeQL.Storage.Tests.Support;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests;

/// <summary>Ledger reads fetch only the parts they name; a cursor decodes them in place and agrees with the records.</summary>
public sealed class InPlaceReadTests : IDisposable
{
    private readonly TestStore _test = new();

    private EmbeddedStore Store => _test.Store;

    public void Dispose() => _test.Dispose();

    [Fact]
    public void A_ledger_read_selects_only_the_columns_of_its_fields()
    {
        var keys = KeyFilter.ForAgents(["alice"]) with { Descending = true, Limit = 10 };
        string sql = ReadSql.For(ReadShape.For(ReadTarget.Assertions, count: false, keys, long.MaxValue, 0, fields: AssertionFields.Hash));
        Assert.StartsWith("SELECT a.lsn, a.hash, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL FROM assertions a", sql);
        string all = ReadSql.For(ReadShape.For(ReadTarget.Assertions, count: false, keys, long.MaxValue, 0));
        Assert.StartsWith($"SELECT {RowMapper.AssertionColumns} FROM", all);
    }

    [Fact]
    public void A_cursor_reads_each_part_as_the_whole_record_holds_it()
    {
        var parent = Store.Assert(A("p", "q", "root")).Hash;
        Store.Assert(A("t", "q", "text ü"));
        Store.Assert(A("i", "q", StemeValue.Integer(-7), agent: "bob"));
        Store.Assert(A("r", "q", StemeValue.Real(0.5)));
        Store.Assert(A("b", "q", StemeValue.Boolean(true)));
        Store.Assert(A("y", "q", StemeValue.Bytes([0, 255])));
        Store.Assert(A("c", "q", StemeValue.Text("x"), confidence: 0.25, epoch: "modern", lineage: [parent]));
        var records = Store.ScanAssertions(KeyFilter.All).ToList();
        var read = new List<(long, ContentHash, string, string, StemeValue, ObjectType, string, string, DateTime)>();
        using (var cursor = Store.OpenAssertions(KeyFilter.All))
        {
            while (cursor.MoveNext())
                read.Add((cursor.Lsn, cursor.Hash, cursor.Subject, cursor.Predicate, cursor.Object, cursor.ObjectType, cursor.Epoch, cursor.Agent, cursor.AssertedAt));
        }
        Assert.Equal(7, read.Count);
        Assert.Equal(records.Select(r => (r.Lsn, r.Assertion.Hash, r.Assertion.Subject, r.Assertion.Predicate, r.Assertion.Object,
            r.Assertion.Object.ObjectType, r.Assertion.Epoch, r.Assertion.Agent, r.AssertedAt)), read);
    }

    [Fact]
    public void A_cursor_asked_for_the_hash_alone_reads_it_newest_first()
    {
        var hashes = Enumerable.Range(0, 5).Select(i => Store.Assert(A("s" + i, "q", "v")).Hash).ToList();
        var keys = KeyFilter.ForAgents(["alice"]) with { Descending = true, Limit = 3, Fields = AssertionFields.Hash };
        var read = new List<ContentHash>();
        using (var cursor = Store.OpenAssertions(keys))
        {
            while (cursor.MoveNext()) read.Add(cursor.Hash);
        }
        Assert.Equal(hashes.AsEnumerable().Reverse().Take(3), read);
    }
}
