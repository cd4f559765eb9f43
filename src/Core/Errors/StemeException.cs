using System.Data.Common;

namespace StemeQL;

/// <summary>
/// The one exception type users of StemeQL catch for errors in what they asked (a bad statement, an
/// unknown hash, a weight out of range) and for storage failures. API misuse (a closed connection,
/// a disposed object) raises the standard .NET exceptions instead, as every ADO.NET provider does.
/// </summary>
/// <remarks>
/// It lives in the Core assembly, under the provider's namespace, so that every layer throws the
/// exception the user catches with no translation layer; <see cref="DbException"/> is part of the BCL.
/// </remarks>
public sealed class StemeException : DbException
{
    /// <summary>Creates an exception with a code and a message that says what to do.</summary>
    public StemeException(StemeErrorCode errorCode, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ErrorCode = errorCode;
        HResult = unchecked((int)0x80131904) ^ (int)errorCode;
        Data[nameof(ErrorCode)] = errorCode.ToString();
    }

    /// <summary>Creates a syntax error at a position in the statement text.</summary>
    public StemeException(string message, int line, int column, IReadOnlyList<string> expectedTokens)
        : this(StemeErrorCode.SyntaxError, message)
    {
        Line = line;
        Column = column;
        ExpectedTokens = expectedTokens;
        Data[nameof(Line)] = line;
        Data[nameof(Column)] = column;
        Data[nameof(ExpectedTokens)] = string.Join(", ", expectedTokens);
    }

    /// <summary>Creates an error about something at a position in the statement text (an unknown column, say).</summary>
    public StemeException(StemeErrorCode errorCode, string message, int line, int column)
        : this(errorCode, message)
    {
        Line = line;
        Column = column;
        Data[nameof(Line)] = line;
        Data[nameof(Column)] = column;
    }

    /// <summary>The stable code of this error.</summary>
    public new StemeErrorCode ErrorCode { get; }

    /// <summary>The code's name, stable like the code itself.</summary>
    public override string SqlState => ErrorCode.ToString();

    /// <summary>For syntax errors and errors about a name or expression, the 1-based line where it starts; otherwise 0.</summary>
    public int Line { get; }

    /// <summary>For syntax errors and errors about a name or expression, the 0-based column where it starts; otherwise 0.</summary>
    public int Column { get; }

    /// <summary>For syntax errors, the tokens that would have been accepted at the error position.</summary>
    public IReadOnlyList<string> ExpectedTokens { get; } = [];

    /// <summary>
    /// True when retrying the same operation later, unchanged, may succeed: a timeout, a folder locked
    /// by another process, an object store that could not be reached (or dropped a read mid-stream).
    /// Every other code needs something fixed first, so a retry loop never spins on it.
    /// </summary>
    public override bool IsTransient => ErrorCode is StemeErrorCode.Timeout or StemeErrorCode.DatabaseLocked or StemeErrorCode.ObjectStoreUnreachable
        or StemeErrorCode.ServerUnreachable or StemeErrorCode.ConnectionLost;
}
