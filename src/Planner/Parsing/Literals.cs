using System.Globalization;
using Antlr4.Runtime;
using StemeQL.Core.Model;
using StemeQL.Planner.Parsing.Generated;

namespace StemeQL.Planner.Parsing;

/// <summary>Converts literal tokens to values.</summary>
internal static class Literals
{
    public static StemeValue Value(IToken token) => token.Type switch
    {
        StemeQLLexer.STRING => StemeValue.Text(Unquote(token.Text, '\'')),
        StemeQLLexer.INTEGER or StemeQLLexer.REAL => Number(token, negative: false),
        StemeQLLexer.BYTES => Bytes(token),
        StemeQLLexer.TRUE => StemeValue.Boolean(true),
        StemeQLLexer.FALSE => StemeValue.Boolean(false),
        _ => StemeValue.Null,
    };

    /// <summary>
    /// An integer that fits in a long stays an integer (the sign is parsed with the digits, so
    /// long.MinValue fits); a larger one becomes a real, as in SQLite.
    /// </summary>
    public static StemeValue Number(IToken token, bool negative)
    {
        string text = negative ? "-" + token.Text : token.Text;
        if (token.Type == StemeQLLexer.INTEGER
            && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
        {
            return StemeValue.Integer(integer);
        }
        return StemeValue.Real(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    /// <summary>Strips the surrounding quotes and undoubles the inner ones.</summary>
    public static string Unquote(string text, char quote) =>
        text[1..^1].Replace(new string(quote, 2), quote.ToString(), StringComparison.Ordinal);

    private static StemeValue Bytes(IToken token)
    {
        string hex = token.Text[2..^1];
        if (hex.Length % 2 != 0)
        {
            throw SyntaxErrors.At(token, $"expected an even number of hex digits, found {SyntaxErrors.Show(token)}", []);
        }
        return StemeValue.Bytes(Convert.FromHexString(hex));
    }
}
