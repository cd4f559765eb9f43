using StemeQL.Core.Model;
using StemeQL.Storage.Journal;
using StemeQL.Storage.Tests.Support;
using StemeQL.TestSupport;

namespace StemeQL.Storage.Tests.Journal;

public sealed class AwkwardValueJournalTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Every_awkward_value_round_trips_through_a_reopened_journal_as_object_and_as_key()
    {
        var ops = new List<Func<long, JournalOp>>();
        foreach (var value in AwkwardValues.All)
        {
            ops.Add(lsn => new JournalAssert(lsn, new Assertion("s", "p", value.Value, "", "a")));
            if (value.Value.Kind == ValueKind.Text)
            {
                string text = value.RawText;
                ops.Add(lsn => new JournalAssert(lsn, new Assertion(text, text, StemeValue.Integer(1), text, text)));
            }
        }
        J.Write(_folder.Path, [J.Of(1, 0, [.. ops])]);

        var read = J.ReadAll(_folder.Path).SelectMany(b => b.Ops).Cast<JournalAssert>().Select(op => op.Assertion).ToList();
        int i = 0;
        foreach (var value in AwkwardValues.All)
        {
            var assertion = read[i++];
            Assert.True(value.Expected == assertion.Object, $"{value.Name}: read back {assertion.Object.Kind}");
            Assert.Equal(new Assertion("s", "p", value.Expected, "", "a").Hash, assertion.Hash);
            if (value.Value.Kind != ValueKind.Text) continue;
            var key = read[i++];
            string expected = value.Expected.AsText;
            Assert.True((expected, expected, expected, expected) == (key.Subject, key.Predicate, key.Epoch, key.Agent), $"{value.Name} as a key");
        }
        Assert.Equal(read.Count, i);
    }
}
