namespace StemeQL.Fuzz;

/// <summary>Valid statements the mutations start from, over the data <see cref="FuzzDatabase"/> seeds.</summary>
internal static class Corpus
{
    public static readonly string[] Statements =
    [
        "ASSERT ('paris', 'capital_of', 'france')",
        "ASSERT ('c1', 'rank', 1), ('c2', 'rank', 2), ('c3', 'rank', 3), ('c4', 'rank', 4)",
        "ASSERT ('bob', 'age', 42), ('bob', 'height_m', 1.82), ('bob', 'member', TRUE), ('bob', 'name', 'Bob')",
        "ASSERT ('light', 'is', 'wave') IN EPOCH 'classical'",
        "ASSERT ('sky', 'colour', 'blue') WITH CONFIDENCE 0.4",
        "ASSERT (@s, @p, @o), ('berlin', 'capital_of', 'germany') IN EPOCH 'modern' WITH CONFIDENCE 0.9 DERIVED FROM (@h)",
        "ASSERT (@s, @p, @o)",
        "ASSERT ('k', @p, @n)",
        "VOTE @h",
        "VOTE @h WEIGHT 0.25",
        "VOTE @h WEIGHT @w",
        "SELECT agent, object FROM assertions WHERE subject = 'paris'",
        "SELECT object, confidence, candidates FROM assertions USING LENS consensus WHERE subject = 'paris' AND predicate = 'capital_of'",
        "SELECT subject FROM assertions USING LENS consensus WHERE predicate = 'rank' AND object >= 3",
        "SELECT object FROM assertions USING LENS recency AS OF LSN 42 WHERE subject = 'pluto'",
        "SELECT subject FROM assertions USING LENS consensus WHERE predicate = 'rank' ORDER BY object DESC LIMIT 2 OFFSET 1",
        "SELECT subject FROM assertions WHERE predicate = 'rank' AND object <> 2 AND object < 4 ORDER BY subject",
        "SELECT subject, object AS value FROM assertions",
        "SELECT * FROM assertions",
        "SELECT * FROM assertions WHERE object = @o",
        "SELECT agent, weight FROM votes WHERE assertion = @h",
        "SELECT * FROM votes",
        "SELECT materialized_lsn, lag_ms FROM stemeql_status",
        "SELECT durable_lsn FROM stemeql_status",
        "SELECT subject FROM assertions WHERE predicate = 'rank' AND NOT subject IN ('c1', 'c2')",
        "SELECT subject FROM assertions USING LENS consensus WHERE predicate = 'capital_of' AND (subject LIKE 'ber%' OR object = 'nowhere')",
        "SELECT subject FROM assertions WHERE subject LIKE @s OR predicate LIKE '%a_e%'",
        "SELECT hash FROM assertions WHERE asserted_at >= @since",
        "SELECT subject FROM assertions WHERE -object < @n",
        "SELECT subject FROM assertions WHERE object = - - 'm'",
        "SELECT subject FROM assertions LIMIT @n OFFSET @n",
        "EXPLAIN SELECT object FROM assertions USING LENS consensus WHERE subject = @s AND predicate = 'capital_of'",
        "EXPLAIN SELECT * FROM assertions WHERE object > 1",
    ];

    /// <summary>Words the mutations insert: the language's keywords and a few near misses.</summary>
    public static readonly string[] Keywords =
    [
        "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "LIKE", "IS", "NULL", "TRUE", "FALSE", "ASSERT", "VOTE",
        "WEIGHT", "EPOCH", "WITH", "CONFIDENCE", "DERIVED", "USING", "LENS", "AS", "OF", "LSN", "TIMESTAMP", "ORDER",
        "BY", "ASC", "DESC", "LIMIT", "OFFSET", "EXPLAIN", "assertions", "votes", "stemeql_status", "consensus",
        "recency", "subject", "predicate", "object", "hash", "lsn", "agent", "*", "(", ")", ",", ";", "=", "<>", "<",
        ">=", "-", "+", "@s", "@o", "@h", "@missing", "'", "\"", "--", "/*", "*/", "SELEKT", "BETWEEN", "JOIN", "COUNT(*)",
    ];

    /// <summary>Numbers at the edges.</summary>
    public static readonly string[] Numbers =
    [
        "0", "-0", "0.0", "-0.0", "1", "-1", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
        "-9223372036854775809", "99999999999999999999999999999999999999", "1e308", "1e309", "-1e309", "4.9e-324",
        "1e-400", "0.1", "1.7976931348623157e308", "00000000001", "1.", ".5", "1e", "0x10", "NaN", "Infinity", "2147483648",
    ];
}
