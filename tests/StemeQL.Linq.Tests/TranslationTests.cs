using StemeQL.Linq.Tests.Support;

namespace StemeQL.Linq.Tests;

/// <summary>What the provider sends: one StemeQL statement, captured values as parameters, and clear refusals.</summary>
[Collection("linq")]
public sealed class TranslationTests(Databases databases)
{
    private StemeConnection Connection => databases.For(1).Reader;

    [Fact]
    public void ToQueryString_shows_the_statement_with_captured_values_as_parameters()
    {
        string city = "paris";
        var query = Connection.Assertions().UsingLens(Lens.Consensus)
            .Where(a => a.Subject == city && a.Confidence > 0.5)
            .OrderByDescending(a => a.Lsn)
            .Select(a => new { a.Object, a.Confidence })
            .Take(3);
        Assert.Equal(
            "SELECT object, confidence FROM assertions USING LENS consensus WHERE subject = @p0 AND confidence > 0.5 AND confidence IS NOT NULL ORDER BY lsn DESC LIMIT @p1",
            query.ToQueryString());
        using var command = query.ToCommand();
        Assert.Equal(["p0", "p1"], command.Parameters.Cast<StemeParameter>().Select(p => p.ParameterName));
        Assert.Equal("paris", command.Parameters[0].Value);
        Assert.Equal(3L, command.Parameters[1].Value);
    }

    [Fact]
    public void Queries_that_differ_only_in_captured_values_have_the_same_text()
    {
        string TextFor(string subject, int take) => Connection.Assertions().Where(a => a.Subject == subject).Take(take).ToQueryString();
        Assert.Equal(TextFor("s1", 5), TextFor("s7", 50));
    }

    [Fact]
    public void Aggregates_groups_and_lists_translate_to_one_statement()
    {
        var subjects = new[] { "s1", "s2" };
        Assert.Equal("SELECT predicate, count(*), avg(lsn) FROM assertions WHERE subject IN (@p0, @p1) GROUP BY predicate HAVING count(*) > 1",
            Connection.Assertions().Where(a => subjects.Contains(a.Subject)).GroupBy(a => a.Predicate)
                .Where(g => g.Count() > 1).Select(g => new { g.Key, N = g.Count(), Avg = g.Average(a => a.Lsn) }).ToQueryString());
        Assert.Equal("SELECT DISTINCT agent FROM votes WHERE weight >= 0.5",
            Connection.Votes().Where(v => v.Weight >= 0.5).Select(v => v.Agent).Distinct().ToQueryString());
        Assert.Equal("SELECT hash FROM assertions AS OF LSN @p0 WHERE epoch LIKE 'mod%'",
            Connection.Assertions().AsOf(7).Where(a => a.Epoch.StartsWith("mod")).Select(a => a.Hash).ToQueryString());
    }

    [Fact]
    public void An_untranslatable_expression_fails_naming_it_and_what_to_write_instead()
    {
        var error = Assert.Throws<NotSupportedException>(() => Connection.Assertions().Where(a => a.Subject.Trim() == "x").ToList());
        Assert.Contains("Subject.Trim()", error.Message);
        Assert.Contains("a => (a.Subject.Trim() == \"x\")", error.Message);
        Assert.Contains("StartsWith", error.Message);

        error = Assert.Throws<NotSupportedException>(() => Connection.Assertions().OrderBy(a => a.Lsn).Last());
        Assert.Contains("OrderByDescending", error.Message);

        error = Assert.Throws<NotSupportedException>(() => Connection.Assertions().Take(5).Where(a => a.Lsn > 2).ToList());
        Assert.Contains("before Skip / Take", error.Message);

        error = Assert.Throws<NotSupportedException>(() => Connection.Assertions().Select(a => Math.Round(a.Lsn / 3.0)).ToList());
        Assert.Contains("MidpointRounding.AwayFromZero", error.Message);

        error = Assert.Throws<NotSupportedException>(() => Connection.Assertions().Where(a => a.Object == (object)"x").ToList());
        Assert.Contains("ObjectAs", error.Message);

        error = Assert.Throws<NotSupportedException>(() => Connection.Assertions().GroupBy(a => a.Agent).ToList());
        Assert.Contains("g.Count()", error.Message);

        error = Assert.Throws<NotSupportedException>(() => Connection.Assertions().Where(a => a.Lsn > 1).UsingLens(Lens.Recency).ToList());
        Assert.Contains("right after connection.Assertions()", error.Message);
    }

    [Fact]
    public void An_unknown_lens_fails_with_the_database_error()
    {
        var error = Assert.Throws<StemeException>(() => Connection.Assertions().UsingLens(Lens.Named("wisdom")).ToList());
        Assert.Equal(StemeErrorCode.UnknownLens, error.ErrorCode);
    }

    [Fact]
    public void Take_zero_and_an_empty_list_return_no_rows()
    {
        var none = new List<string>();
        Assert.Empty(Connection.Assertions().Take(0).ToList());
        Assert.Empty(Connection.Assertions().Where(a => none.Contains(a.Subject)).ToList());
        Assert.NotEmpty(Connection.Assertions().Where(a => !none.Contains(a.Subject)).ToList());
    }

    [Fact]
    public void A_query_runs_inside_the_connections_transaction()
    {
        using var db = new StemeConnection("Data Source=:memory:;Agent=alice");
        db.Open();
        var transaction = db.BeginTransaction();
        using (var assert = db.CreateCommand())
        {
            assert.CommandText = "ASSERT ('bob', 'age', 42)";
            assert.ExecuteNonQuery();
        }
        // Reads in a transaction do not see its pending writes (docs/storage.md#transactions).
        Assert.False(db.Assertions().Any());
        transaction.Commit();
        Assert.Equal(42L, db.Assertions().Where(a => a.Subject == "bob").Select(a => a.ObjectAs<long>()).Single());
    }

    [Fact]
    public void Reused_materializers_keep_each_querys_types_and_captured_values()
    {
        var first = Connection.Assertions().OrderBy(a => a.Lsn).First();
        for (int k = 1; k <= 2; k++)
        {
            var row = Connection.Assertions().OrderBy(a => a.Lsn).Select(a => new { A = a.Subject, K = k }).First();
            Assert.Equal(new { A = first.Subject, K = k }, row);
        }
        Assert.Equal(new { A = first.Lsn }, Connection.Assertions().OrderBy(a => a.Lsn).Select(a => new { A = a.Lsn }).First());
        Assert.Equal(new { A = first.Subject }, Connection.Assertions().OrderBy(a => a.Lsn).Select(a => new { A = a.Subject }).First());
    }

    [Fact]
    public void Status_reads_the_write_path_row()
    {
        var db = databases.For(1);
        var status = db.Reader.Status().Single();
        Assert.Equal(db.Ledger.Concat<object>(db.VoteRows).Count(), status.DurableLsn);
        Assert.Null(status.Failure);
        Assert.InRange(db.Reader.Status().Select(s => s.IngestedLsn).Single(), 0, status.DurableLsn);
        Assert.Equal("SELECT materialized_lsn, lag_ms FROM stemeql_status",
            db.Reader.Status().Select(s => new { s.MaterializedLsn, s.LagMs }).ToQueryString());
    }
}
