using StemeQL.Planner.Binding;
using StemeQL.Planner.Execution;
using StemeQL.Planner.Plans;

namespace StemeQL.Planner.Tests.Planning;

/// <summary>The access path and stages the planner chooses for each query shape, and the binder's refusals.</summary>
public sealed class QueryPlannerTests : IDisposable
{
    private readonly Session _session = Session.Open(":memory:", "alice", new PlanCache(0));

    private QueryPlanHandle Plan(string text) => Assert.IsType<PreparedQuery>(Assert.Single(_session.Prepare(text))).Plan;

    [Theory]
    [InlineData("SELECT object FROM assertions USING LENS consensus WHERE subject = @s AND predicate = 'p'", AccessPath.MaterializedViewLookup)]
    [InlineData("SELECT object FROM assertions USING LENS recency WHERE subject IN ('a', 'b')", AccessPath.MaterializedViewLookup)]
    [InlineData("SELECT subject FROM assertions USING LENS consensus WHERE predicate = 'p' AND object = 'x'", AccessPath.MaterializedViewLookup)]
    [InlineData("SELECT subject FROM assertions USING LENS consensus WHERE subject LIKE 'a%'", AccessPath.MaterializedViewLookup)]
    [InlineData("SELECT object FROM assertions USING LENS consensus AS OF LSN 4 WHERE subject = 'a'", AccessPath.LensScan)]
    [InlineData("SELECT subject FROM assertions WHERE subject = 'a'", AccessPath.LedgerScan)]
    [InlineData("SELECT * FROM votes WHERE assertion = @h", AccessPath.LedgerScan)]
    [InlineData("SELECT count(*) FROM assertions", AccessPath.CountPushdown)]
    [InlineData("SELECT count(*), count(*) AS again FROM assertions WHERE subject = 'a' AND predicate IN ('p', 'q')", AccessPath.CountPushdown)]
    [InlineData("SELECT count(*) FROM assertions WHERE subject = 'a' AND subject = 'b'", AccessPath.LedgerScan)]
    [InlineData("SELECT count(subject) FROM assertions", AccessPath.LedgerScan)]
    [InlineData("SELECT count(*) FROM assertions AS OF LSN 3", AccessPath.LedgerScan)]
    [InlineData("SELECT count(*) FROM assertions USING LENS consensus", AccessPath.CountPushdown)]
    [InlineData("SELECT count(*) FROM assertions USING LENS consensus WHERE object = 1", AccessPath.MaterializedViewLookup)]
    [InlineData("SELECT count(*) FROM votes WHERE agent = @a", AccessPath.CountPushdown)]
    [InlineData("SELECT * FROM stemeql_status", AccessPath.StatusRead)]
    [InlineData("SELECT 1", AccessPath.SingleRow)]
    public void Plan_chooses_the_cheapest_access_path_that_answers_the_query(string text, AccessPath expected) =>
        Assert.Equal(expected, Plan(text).Access);

    [Theory]
    [InlineData("SELECT nope FROM assertions", StemeErrorCode.UnknownColumn)]
    [InlineData("SELECT subject FROM nowhere", StemeErrorCode.UnknownRelation)]
    [InlineData("SELECT nope(1)", StemeErrorCode.UnknownFunction)]
    [InlineData("SELECT lower(1, 2)", StemeErrorCode.TypeMismatch)]
    [InlineData("SELECT lower(*)", StemeErrorCode.InvalidGrouping)]
    [InlineData("SELECT sum(*) FROM assertions", StemeErrorCode.InvalidGrouping)]
    [InlineData("SELECT count(subject, predicate) FROM assertions", StemeErrorCode.InvalidGrouping)]
    [InlineData("SELECT subject, count(*) FROM assertions", StemeErrorCode.InvalidGrouping)]
    [InlineData("SELECT * FROM assertions GROUP BY subject", StemeErrorCode.InvalidGrouping)]
    [InlineData("SELECT subject FROM assertions WHERE max(lsn) > 1", StemeErrorCode.InvalidGrouping)]
    [InlineData("SELECT subject FROM assertions GROUP BY count(*)", StemeErrorCode.InvalidGrouping)]
    [InlineData("SELECT avg(sum(lsn)) FROM assertions", StemeErrorCode.InvalidGrouping)]
    [InlineData("SELECT subject FROM assertions HAVING lsn > 1", StemeErrorCode.InvalidGrouping)]
    [InlineData("SELECT avg(agent) FROM assertions", StemeErrorCode.TypeMismatch)]
    [InlineData("SELECT subject + 1 FROM assertions", StemeErrorCode.TypeMismatch)]
    [InlineData("SELECT subject FROM assertions WHERE agent", StemeErrorCode.TypeMismatch)]
    [InlineData("SELECT subject FROM assertions HAVING count(*) > 1 ORDER BY 2", StemeErrorCode.InvalidGrouping)]
    [InlineData("SELECT subject FROM assertions ORDER BY 2", StemeErrorCode.UnknownColumn)]
    [InlineData("SELECT subject FROM votes USING LENS consensus", StemeErrorCode.NotSupported)]
    [InlineData("SELECT 1 AS OF LSN 3", StemeErrorCode.SyntaxError)]
    public void Bind_refuses_what_can_never_run_with_a_stable_code(string text, StemeErrorCode expected)
    {
        var error = Assert.Throws<StemeException>(() => _session.Prepare(text));
        Assert.Equal(expected, error.ErrorCode);
    }

    [Fact]
    public void Bind_lets_having_and_order_by_name_a_select_alias()
    {
        var plan = Plan("SELECT predicate AS p, count(*) AS n FROM assertions GROUP BY p HAVING n > 1 ORDER BY n");
        // The store counts per predicate (no Aggregate stage); HAVING and ORDER BY use the aliases on its rows.
        Assert.Equal(AccessPath.GroupedCountPushdown, plan.Access);
        Assert.Equal(["Having", "Project", "Sort"], plan.Stages);
        Assert.Equal(["Aggregate", "Having", "Project", "Sort"], Plan("SELECT predicate AS p, min(lsn) AS n FROM assertions GROUP BY p HAVING n > 1 ORDER BY n").Stages);
    }

    [Fact]
    public void Plan_lays_out_stages_in_the_order_rows_flow()
    {
        var plan = Plan("SELECT DISTINCT predicate, count(*) AS n FROM assertions WHERE object > 0 GROUP BY predicate HAVING n > 1 ORDER BY n DESC LIMIT 5");
        Assert.Equal(["Filter", "Aggregate", "Having", "Project", "Distinct", "Sort", "Limit"], plan.Stages);
    }

    [Theory]
    [InlineData("SELECT hash FROM assertions WHERE agent = @k ORDER BY lsn DESC LIMIT 10", new[] { 0 })]
    [InlineData("SELECT subject FROM assertions WHERE hash = @k", new[] { 1 })]
    [InlineData("SELECT lsn, object, object_type FROM assertions WHERE subject = 'a' AND predicate = 'p' LIMIT 2 OFFSET 1", new[] { 8, 3, 4 })]
    [InlineData("SELECT agent AS who, confidence FROM assertions AS OF LSN 4", new[] { 6, 9 })]
    public void Plan_reads_ledger_rows_in_place_when_the_seek_applies_the_filter_and_the_select_list_names_columns(string text, int[] columns)
    {
        var plan = Plan(text).Plan;
        Assert.True(plan.ReadsInPlace);
        Assert.Equal(columns, plan.InPlaceColumns);
    }

    [Theory]
    [InlineData("SELECT hash, 1 FROM assertions WHERE agent = @k")]                          // an expression in the select list
    [InlineData("SELECT hash FROM assertions WHERE agent = @k AND length(subject) > 1")]     // a residual filter
    [InlineData("SELECT hash FROM assertions WHERE agent = @k ORDER BY subject")]            // a sort
    [InlineData("SELECT DISTINCT subject FROM assertions")]
    [InlineData("SELECT subject FROM assertions GROUP BY subject")]
    [InlineData("SELECT subject FROM assertions USING LENS consensus WHERE subject = 'a'")] // a view's rows
    [InlineData("SELECT assertion FROM votes WHERE agent = @k")]
    public void Plan_runs_its_stages_when_rows_are_not_ledger_columns_as_stored(string text) =>
        Assert.False(Plan(text).Plan.ReadsInPlace);

    [Theory]
    [InlineData("SELECT object FROM assertions USING LENS consensus WHERE subject = @s AND predicate = 'p'")]
    [InlineData("SELECT * FROM assertions USING LENS recency WHERE predicate = @p AND subject = 'a'")]
    [InlineData("SELECT object, confidence * 2 AS twice, 1 FROM assertions USING LENS consensus WHERE subject IN (@s) AND predicate = @p")]
    public void Plan_reads_one_sets_view_row_alone_when_the_where_pins_exactly_one_set_and_it_only_projects(string text)
    {
        var plan = Plan(text).Plan;
        Assert.True(plan.OneSetLookup);
        Assert.Equal(AccessPath.MaterializedViewLookup, plan.Access);
    }

    [Theory]
    [InlineData("SELECT object FROM assertions USING LENS consensus WHERE subject = @s")]                                    // every predicate
    [InlineData("SELECT object FROM assertions USING LENS consensus WHERE subject IN ('a', 'b') AND predicate = 'p'")]       // two sets
    [InlineData("SELECT object FROM assertions USING LENS consensus WHERE subject = @s AND predicate = 'p' AND object = 1")] // the winner pinned too
    [InlineData("SELECT object FROM assertions USING LENS consensus WHERE subject = @s AND predicate = 'p' AND lsn > 3")]
    [InlineData("SELECT object FROM assertions USING LENS consensus WHERE subject = @s AND predicate = 'p' AND agent = 'x'")] // a residual filter
    [InlineData("SELECT object FROM assertions USING LENS consensus WHERE subject = @s AND predicate = 'p' LIMIT 1")]
    [InlineData("SELECT object FROM assertions USING LENS consensus WHERE subject = @s AND predicate = 'p' ORDER BY object")]
    [InlineData("SELECT DISTINCT object FROM assertions USING LENS consensus WHERE subject = @s AND predicate = 'p'")]
    [InlineData("SELECT count(*) FROM assertions USING LENS consensus WHERE subject = @s AND predicate = 'p'")]
    [InlineData("SELECT object FROM assertions USING LENS consensus AS OF LSN 4 WHERE subject = @s AND predicate = 'p'")]  // a lens scan
    [InlineData("SELECT object FROM assertions WHERE subject = @s AND predicate = 'p'")]                                    // the ledger
    public void Plan_reads_through_the_general_path_when_the_query_is_more_than_one_sets_view_row(string text) =>
        Assert.False(Plan(text).Plan.OneSetLookup);

    [Theory]
    [InlineData("SELECT subject FROM assertions ORDER BY subject LIMIT 3", AccessPath.LedgerScan, "subject")]
    [InlineData("SELECT subject FROM assertions ORDER BY subject DESC, predicate LIMIT 3 OFFSET 2", AccessPath.LedgerScan, "subject DESC, predicate")]
    [InlineData("SELECT subject AS s FROM assertions ORDER BY s DESC, lsn LIMIT @n", AccessPath.LedgerScan, "subject DESC, lsn")]
    [InlineData("SELECT subject FROM assertions WHERE predicate = 'q3' ORDER BY 1 LIMIT 3", AccessPath.LedgerScan, "subject")]
    [InlineData("SELECT lsn FROM assertions WHERE subject = @s ORDER BY predicate DESC LIMIT 3", AccessPath.LedgerScan, "predicate DESC")]
    [InlineData("SELECT lsn FROM assertions WHERE object > 1 ORDER BY subject LIMIT 3", AccessPath.LedgerScan, "subject")]
    [InlineData("SELECT subject FROM assertions USING LENS consensus ORDER BY subject LIMIT 3", AccessPath.MaterializedViewLookup, "subject")]
    [InlineData("SELECT subject FROM assertions USING LENS consensus WHERE predicate = 'q3' ORDER BY subject DESC LIMIT 3", AccessPath.MaterializedViewLookup, "subject DESC")]
    [InlineData("SELECT object FROM assertions USING LENS recency WHERE subject = 'a' ORDER BY predicate LIMIT 3", AccessPath.MaterializedViewLookup, "predicate")]
    public void Plan_reads_in_an_index_order_when_an_index_holds_the_order_by_and_a_limit_stops_it(string text, AccessPath access, string order)
    {
        var plan = Plan(text).Plan;
        Assert.Equal(access, plan.Access);
        Assert.Equal(order, plan.IndexOrder?.Text);
        Assert.DoesNotContain("Sort", Plan(text).Stages);
        Assert.NotNull(plan.Unordered);
        Assert.Contains("Sort", plan.Unordered.Stages.Select(s => s.Operator));
        Assert.False(plan.ReadsInPlace);
    }

    [Theory]
    [InlineData("SELECT subject FROM assertions ORDER BY subject")]                                          // no LIMIT: nothing stops early
    [InlineData("SELECT subject FROM assertions ORDER BY predicate LIMIT 3")]                                // not the index's leading column
    [InlineData("SELECT subject FROM assertions WHERE subject IN ('a', 'b') ORDER BY predicate LIMIT 3")]   // two subjects: two runs of predicates
    [InlineData("SELECT subject FROM assertions ORDER BY subject || '' LIMIT 3")]                            // an expression
    [InlineData("SELECT subject FROM assertions ORDER BY subject, object LIMIT 3")]                          // a key no index holds
    [InlineData("SELECT predicate AS subject FROM assertions ORDER BY subject LIMIT 3")]                     // the alias names predicate
    [InlineData("SELECT DISTINCT subject FROM assertions ORDER BY subject LIMIT 3")]
    [InlineData("SELECT subject FROM assertions USING LENS consensus ORDER BY lsn LIMIT 3")]                 // the winner's LSN
    [InlineData("SELECT subject FROM assertions USING LENS consensus AS OF LSN 3 ORDER BY subject LIMIT 3")] // a lens scan
    [InlineData("SELECT agent FROM votes ORDER BY agent LIMIT 3")]
    public void Plan_sorts_when_no_index_holds_the_order_by_or_nothing_would_stop_early(string text)
    {
        var plan = Plan(text).Plan;
        Assert.Null(plan.IndexOrder);
        Assert.Contains("Sort", Plan(text).Stages);
    }

    [Fact]
    public void Explain_names_the_index_order_and_the_sort_it_was_costed_against()
    {
        var rows = Rows("EXPLAIN SELECT subject FROM assertions USING LENS consensus WHERE predicate = 'q3' ORDER BY subject DESC LIMIT 3");
        Assert.Equal(["MaterializedViewLookup", "Project", "Limit"], rows.Select(r => r[1].AsText));
        string detail = rows[0][2].AsText;
        Assert.Contains("the rows come in ORDER BY order (subject DESC) from the view's sets by (predicate, subject)", detail, StringComparison.Ordinal);
        Assert.Contains("chosen over LensScan", detail, StringComparison.Ordinal);
        Assert.Contains("MaterializedViewLookup (cost", detail, StringComparison.Ordinal);
        Assert.Contains(", then sorted", detail, StringComparison.Ordinal);
        Assert.EndsWith("; in subject DESC order, no sort", detail, StringComparison.Ordinal);
        Assert.Contains("the ledger's index on (subject, predicate)", Rows("EXPLAIN SELECT subject FROM assertions ORDER BY subject LIMIT 3")[0][2].AsText, StringComparison.Ordinal);
    }

    [Fact]
    public void Explain_of_an_lsn_range_says_only_the_range_is_read()
    {
        string detail = Rows("EXPLAIN SELECT subject FROM assertions WHERE lsn > 10")[0][2].AsText;
        Assert.DoesNotContain("every row", detail, StringComparison.Ordinal);
        Assert.Contains("the ledger's LSN range is read", detail, StringComparison.Ordinal);
        Assert.Contains("every row of the ledger is read", Rows("EXPLAIN SELECT subject FROM assertions")[0][2].AsText, StringComparison.Ordinal);
    }

    private List<Core.Model.StemeValue[]> Rows(string text) =>
        [.. _session.Execute(Assert.Single(_session.Prepare(text)), ParameterValues.None, CancellationToken.None).Rows];

    public void Dispose() => _session.Dispose();
}
