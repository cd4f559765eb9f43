namespace StemeQL.Tests.Conformance;

/// <summary>Reads sqllogictest files with StemeQL's additions (agent, capture, error codes).</summary>
public static class SltParser
{
    /// <summary>The records of a file, in order.</summary>
    public static IReadOnlyList<SltRecord> Parse(string text)
    {
        var lines = text.Replace("\r\n", "\n").Split('\n');
        var records = new List<SltRecord>();
        int i = 0;
        while (i < lines.Length)
        {
            string line = lines[i].Trim();
            int start = i + 1;
            i++;
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (words[0])
            {
                case "agent":
                    records.Add(new AgentRecord(start, words[1]));
                    break;
                case "statement":
                    records.Add(new StatementRecord(start, Block(lines, ref i, out _), words[1] == "error", words.Length > 2 ? words[2] : null));
                    break;
                case "capture":
                    records.Add(new CaptureRecord(start, words[1], Block(lines, ref i, out _)));
                    break;
                case "query":
                    string sql = Block(lines, ref i, out bool hasResults);
                    var expected = new List<string>();
                    while (hasResults && i < lines.Length && lines[i].Trim().Length > 0) expected.Add(lines[i++].Trim());
                    records.Add(new QueryRecord(start, sql, words[1], words.Length > 2 && words[2] == "rowsort", expected));
                    break;
                default:
                    throw new FormatException($"line {start}: unknown record '{words[0]}'");
            }
        }
        return records;
    }

    // Statement text runs to a blank line or, for queries, to the '----' separator.
    private static string Block(string[] lines, ref int i, out bool sawSeparator)
    {
        var sql = new List<string>();
        sawSeparator = false;
        while (i < lines.Length && lines[i].Trim().Length > 0)
        {
            if (lines[i].Trim() == "----")
            {
                sawSeparator = true;
                i++;
                break;
            }
            sql.Add(lines[i++]);
        }
        return string.Join("\n", sql);
    }
}
