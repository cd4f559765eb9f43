using System.Text.Json;

namespace StemeQL.Cli;

/// <summary>One line of an import file: an assertion or a vote.</summary>
internal readonly record struct ImportRow(bool IsVote, BulkAssertion Assertion, BulkVote Vote);

/// <summary>A line that is not a valid assertion or vote; the message says what is wrong.</summary>
internal sealed class ImportLineException(string message) : Exception(message);

/// <summary>
/// Parses one JSON Lines record with Utf8JsonReader:
/// <c>{"subject": "paris", "predicate": "capital_of", "object": "france", "epoch": "modern", "confidence": 0.9, "derived_from": ["&lt;hash&gt;"]}</c>
/// or <c>{"vote": "&lt;hash&gt;", "weight": 0.5}</c>. Unknown fields are errors, so a misspelt
/// field is not silently replaced by its default.
/// </summary>
internal static class JsonLineParser
{
    private const string Shapes =
        "a line is an assertion {\"subject\", \"predicate\", \"object\", optional \"epoch\", \"confidence\", \"derived_from\"} or a vote {\"vote\", optional \"weight\"}";

    public static ImportRow Parse(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        try
        {
            return ParseObject(ref reader);
        }
        catch (JsonException e)
        {
            throw new ImportLineException("invalid JSON: " + e.Message);
        }
        catch (InvalidOperationException e)
        {
            // GetString checks UTF-8 only when it decodes: "Cannot transcode invalid UTF-8…".
            throw new ImportLineException("invalid text: " + e.Message);
        }
        catch (FormatException)
        {
            throw new ImportLineException("\"object\": \"bytes\" is not valid base64");
        }
    }

    private static ImportRow ParseObject(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw new ImportLineException($"expected a JSON object, found {Describe(reader.TokenType)}; {Shapes}");
        string? subject = null, predicate = null, epoch = null, vote = null;
        object? value = null;
        double? confidence = null, weight = null;
        List<string>? derivedFrom = null;
        bool hasObject = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = FieldOf(ref reader);
            reader.Read();
            switch (field)
            {
                case Field.Subject: subject = Once(subject, "subject", Text(ref reader, "subject")); break;
                case Field.Predicate: predicate = Once(predicate, "predicate", Text(ref reader, "predicate")); break;
                case Field.Epoch: epoch = Once(epoch, "epoch", reader.TokenType == JsonTokenType.Null ? "" : Text(ref reader, "epoch")); break;
                case Field.Vote: vote = Once(vote, "vote", Text(ref reader, "vote")); break;
                case Field.Confidence: confidence = Once(confidence, "confidence", Number(ref reader, "confidence")); break;
                case Field.Weight: weight = Once(weight, "weight", Number(ref reader, "weight")); break;
                case Field.DerivedFrom: derivedFrom = Once(derivedFrom, "derived_from", Hashes(ref reader)); break;
                case Field.Object:
                    if (hasObject) throw Twice("object");
                    (value, hasObject) = (ObjectValue(ref reader), true);
                    break;
            }
        }
        // Utf8JsonReader throws on anything but whitespace after the object.
        while (reader.Read()) { }

        bool isAssertion = subject is not null || predicate is not null || hasObject || confidence is not null || epoch is not null || derivedFrom is not null;
        if (vote is not null || weight is not null)
        {
            if (isAssertion) throw new ImportLineException($"the line mixes assertion and vote fields; {Shapes}");
            return new ImportRow(true, default, new BulkVote(vote ?? throw Missing("vote"), weight ?? 1.0));
        }
        if (!isAssertion) throw new ImportLineException($"the object is empty; {Shapes}");
        return new ImportRow(false, new BulkAssertion(
            subject ?? throw Missing("subject"), predicate ?? throw Missing("predicate"), hasObject ? value! : throw Missing("object"),
            string.IsNullOrEmpty(epoch) ? null : epoch, confidence ?? 1.0, derivedFrom), default);
    }

    private enum Field { Subject, Predicate, Object, Epoch, Confidence, DerivedFrom, Vote, Weight }

    // Compares the UTF-8 name in place: no string per field per line.
    private static Field FieldOf(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("subject"u8)) return Field.Subject;
        if (reader.ValueTextEquals("predicate"u8)) return Field.Predicate;
        if (reader.ValueTextEquals("object"u8)) return Field.Object;
        if (reader.ValueTextEquals("vote"u8)) return Field.Vote;
        if (reader.ValueTextEquals("weight"u8)) return Field.Weight;
        if (reader.ValueTextEquals("epoch"u8)) return Field.Epoch;
        if (reader.ValueTextEquals("confidence"u8)) return Field.Confidence;
        if (reader.ValueTextEquals("derived_from"u8)) return Field.DerivedFrom;
        throw new ImportLineException($"unknown field \"{reader.GetString()}\"; {Shapes}");
    }

    private static object ObjectValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String: return reader.GetString()!;
            case JsonTokenType.True: return true;
            case JsonTokenType.False: return false;
            // 3 is an integer and 3.0 a real, as in StemeQL.
            case JsonTokenType.Number: return reader.TryGetInt64(out long integer) ? (object)integer : reader.GetDouble();
            case JsonTokenType.StartObject:
                if (reader.Read() && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("bytes"u8)
                    && reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    byte[] bytes = reader.GetBytesFromBase64();
                    if (reader.Read() && reader.TokenType == JsonTokenType.EndObject) return bytes;
                }
                throw new ImportLineException("\"object\" as a JSON object must be {\"bytes\": \"<base64>\"}");
            default:
                throw new ImportLineException($"\"object\" must be a string, a number, a boolean or {{\"bytes\": \"<base64>\"}}, not {Describe(reader.TokenType)}");
        }
    }

    private static List<string> Hashes(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new ImportLineException($"\"derived_from\" must be an array of hashes, not {Describe(reader.TokenType)}");
        var hashes = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            hashes.Add(reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new ImportLineException($"\"derived_from\" must hold hash strings, not {Describe(reader.TokenType)}"));
        return hashes;
    }

    private static string Text(ref Utf8JsonReader reader, string name) => reader.TokenType == JsonTokenType.String
        ? reader.GetString()!
        : throw new ImportLineException($"\"{name}\" must be a string, not {Describe(reader.TokenType)}");

    private static double Number(ref Utf8JsonReader reader, string name) => reader.TokenType == JsonTokenType.Number
        ? reader.GetDouble()
        : throw new ImportLineException($"\"{name}\" must be a number from 0 to 1, not {Describe(reader.TokenType)}");

    private static T Once<T>(T? previous, string name, T value) => previous is null ? value : throw Twice(name);

    private static ImportLineException Twice(string name) => new($"\"{name}\" appears twice");

    private static ImportLineException Missing(string name) => new($"missing \"{name}\"; {Shapes}");

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => "nothing",
    };
}
