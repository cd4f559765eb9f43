using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace StemeQL.Cli;

/// <summary>
/// Result sets as a JSON array of objects, one object per line. Values keep their type: integers and reals
/// are numbers, booleans <c>true</c>/<c>false</c>, NULL <c>null</c>, bytes <c>{"bytes": "&lt;base64&gt;"}</c>
/// (as <c>steme import</c> reads them), timestamps ISO-8601 UTC strings.
/// </summary>
internal static class JsonFormat
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(TextWriter output, IReadOnlyList<string> headers, IEnumerable<object?[]> rows)
    {
        output.Write('[');
        string separator = "\n";
        foreach (var row in rows)
        {
            output.Write(separator);
            output.Write(Object(headers, row));
            separator = ",\n";
        }
        output.WriteLine(separator == "\n" ? "]" : "\n]");
    }

    private static string Object(IReadOnlyList<string> headers, object?[] row)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            for (int i = 0; i < headers.Count; i++)
            {
                json.WritePropertyName(headers[i]);
                WriteValue(json, row[i]);
            }
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteValue(Utf8JsonWriter json, object? value)
    {
        switch (value)
        {
            case null or DBNull: json.WriteNullValue(); break;
            case string text: json.WriteStringValue(text); break;
            case bool flag: json.WriteBooleanValue(flag); break;
            case long or int or short or byte or sbyte or ushort or uint:
                json.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            case ulong number: json.WriteNumberValue(number); break;
            case decimal number: json.WriteNumberValue(number); break;
            case double real when double.IsFinite(real): json.WriteNumberValue(real); break;
            case float real when float.IsFinite(real): json.WriteNumberValue(real); break;
            case byte[] bytes:
                json.WriteStartObject();
                json.WriteString("bytes", Convert.ToBase64String(bytes));
                json.WriteEndObject();
                break;
            default: json.WriteStringValue(ResultFormatter.FormatValue(value)); break; // NaN, infinities, timestamps
        }
    }
}
