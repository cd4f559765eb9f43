using System.Text;
using System.Text.RegularExpressions;

namespace StemeQL.Fuzz;

/// <summary>
/// Grammar-aware mutations of corpus statements: the text is cut into tokens (strings, numbers,
/// parameters, words, operators), and tokens are deleted, duplicated, swapped or replaced by
/// keywords, edge numbers and odd strings; or the statement grows long chains, deep nesting and
/// several statements.
/// </summary>
internal sealed partial class Mutator(Random random, int maxChain)
{
    [GeneratedRegex(@"'(?:[^']|'')*'|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|@\w+|\w+|<>|<=|>=|\S", RegexOptions.CultureInvariant)]
    private static partial Regex TokenPattern();

    /// <summary>A mutated command: one to four mutations of one or two corpus statements.</summary>
    public string Next()
    {
        string text = Pick(Corpus.Statements);
        if (random.Next(5) == 0) text += "; " + Pick(Corpus.Statements);
        int mutations = random.Next(4);
        for (int i = 0; i < mutations; i++) text = Mutate(text);
        return text;
    }

    private string Mutate(string text)
    {
        var tokens = TokenPattern().Matches(text).Select(m => m.Value).ToList();
        if (tokens.Count == 0) tokens.Add("SELECT");
        int at = random.Next(tokens.Count);
        switch (random.Next(16))
        {
            case 0: tokens.RemoveAt(at); break;
            case 1: tokens.Insert(at, tokens[at]); break;
            case 2:
                int other = random.Next(tokens.Count);
                (tokens[at], tokens[other]) = (tokens[other], tokens[at]);
                break;
            case 3: tokens.Insert(at, Pick(Corpus.Keywords)); break;
            case 4: tokens[IndexOf(tokens, IsNumber) ?? at] = Pick(Corpus.Numbers); break;
            case 5: tokens[IndexOf(tokens, t => t.StartsWith('\'')) ?? at] = OddLiteral(); break;
            case 6: return Chain(text);
            case 7: return Nest(text);
            case 8: tokens.Insert(at, OddValues.RandomText(random, random.Next(1, 4))); break;
            case 9: return text[..random.Next(text.Length + 1)];
            case 10: tokens[IndexOf(tokens, t => t.StartsWith('@')) ?? at] = "@" + Pick(["missing", "S", "o", "h", "n", "w", "since", "x" + random.Next(100)]); break;
            case 11: tokens.Insert(at, Pick(["-", "NOT", "- -", "+", "(", ")"])); break;
            case 12: return text + "; " + Pick(Corpus.Statements);
            case 13: return Pick(Corpus.Statements) + "; " + text;
            case 14: tokens.Insert(at, Pick(["/*", "--", "\n", "'", ";", ";;"])); break;
            default: tokens[at] = Pick(Corpus.Keywords); break;
        }
        return string.Join(' ', tokens);
    }

    private static bool IsNumber(string token) => token.Length > 0 && char.IsAsciiDigit(token[0]);

    private int? IndexOf(List<string> tokens, Func<string, bool> match)
    {
        var indexes = Enumerable.Range(0, tokens.Count).Where(i => match(tokens[i])).ToList();
        return indexes.Count == 0 ? null : indexes[random.Next(indexes.Count)];
    }

    private string OddLiteral()
    {
        string value = random.Next(8) switch
        {
            0 => OddValues.RandomText(random, random.Next(0, 20)),
            1 => "\uFEFFbom",
            2 => new string('x', random.Next(600, 100_000)) + "\0",
            3 => "\U0001F600\u0000\uD800",
            4 => "%" + string.Concat(Enumerable.Repeat("a%", random.Next(1, 2000))),
            5 => new string('_', random.Next(1, 5000)),
            6 => "it''s",
            _ => "",
        };
        return "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";
    }

    /// <summary>A long AND / OR / unary chain in a WHERE clause.</summary>
    private string Chain(string text)
    {
        int length = ChainLength();
        var builder = new StringBuilder(length * 24);
        switch (random.Next(4))
        {
            case 0:
                builder.Append("SELECT subject FROM assertions WHERE subject = 'a'");
                for (int i = 0; i < length; i++) builder.Append(" AND predicate <> 'p").Append(i).Append('\'');
                break;
            case 1:
                builder.Append("SELECT subject FROM assertions WHERE subject = 'a'");
                for (int i = 0; i < length; i++) builder.Append(" OR subject = 's").Append(i).Append('\'');
                break;
            case 2:
                builder.Append("SELECT subject FROM assertions WHERE object = ");
                builder.Insert(builder.Length, "- ", length).Append('1');
                break;
            default:
                builder.Append("SELECT subject FROM assertions WHERE ");
                builder.Insert(builder.Length, "NOT ", length).Append("subject = 'a'");
                break;
        }
        return random.Next(3) == 0 ? text + "; " + builder : builder.ToString();
    }

    /// <summary>Deep nesting around an expression: parentheses, CASE in each of its branches, or function calls.</summary>
    private string Nest(string text)
    {
        int depth = random.Next(2) == 0 ? random.Next(1, 120) : ChainLength();
        var (open, close) = random.Next(5) switch
        {
            0 => ("CASE WHEN subject = 'a' THEN ", " END"),
            1 => ("CASE WHEN FALSE THEN 1 ELSE ", " END"),
            2 => ("CASE ", " WHEN 1 THEN TRUE END"),
            3 => ("abs(", ")"),
            _ => ("(", ")"),
        };
        return "SELECT subject FROM assertions WHERE " + new StringBuilder().Insert(0, open, depth) + "subject = 'a'"
            + new StringBuilder().Insert(0, close, depth) + (random.Next(3) == 0 ? "; " + text : "");
    }

    // Mostly short chains, sometimes up to the limit (the long run's chains reach 100,000 terms).
    private int ChainLength() => random.Next(4) == 0 ? random.Next(1, maxChain + 1) : random.Next(1, Math.Min(maxChain, 64) + 1);

    private string Pick(IReadOnlyList<string> items) => items[random.Next(items.Count)];
}
