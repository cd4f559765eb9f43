using StemeQL.Core.Model;
using StemeQL.Planner.Binding;
using StemeQL.Planner.Execution;

namespace StemeQL.Internal;

/// <summary>Converts CLR parameter values to StemeQL values (the one place this happens).</summary>
internal static class ParameterBinder
{
    /// <summary>
    /// The values of a command's parameters. A value StemeQL cannot bind fails the statement that uses
    /// it, not a command that never does: a null <see cref="StemeParameter.Value"/> (use
    /// <see cref="DBNull.Value"/> for NULL) with <see cref="InvalidOperationException"/>, a .NET type
    /// StemeQL has no type for with <see cref="NotSupportedException"/>, a number out of range with
    /// <see cref="StemeErrorCode.InvalidParameterValue"/>.
    /// </summary>
    /// <param name="parameters">The command's parameters.</param>
    /// <param name="session">The session whose object store takes <see cref="Stream"/> values.</param>
    /// <param name="cancellation">The execution's cancellation: it stops the storing of a <see cref="Stream"/> value, whose time the timeout does not count.</param>
    /// <param name="agent">The agent the writes are made as when it is not the session's (already authorized); null for the session's.</param>
    /// <param name="into">Values of an earlier execution that nothing uses any more, bound again in place when they were made for the same agent; null for new ones.</param>
    public static ParameterValues Bind(StemeParameterCollection parameters, Session session, CommandCancellation cancellation,
        string? agent = null, ParameterValues? into = null)
    {
        if (parameters.Count == 0 && agent is null) return ParameterValues.None;
        ParameterValues values;
        if (into is not null && string.Equals(into.Agent, agent, StringComparison.Ordinal) && !ReferenceEquals(into, ParameterValues.None))
        {
            into.Clear();
            values = into;
        }
        else
        {
            values = new ParameterValues(parameters.Count) { Agent = agent };
        }
        for (int i = 0; i < parameters.Count; i++)
        {
            var parameter = parameters[i];
            try
            {
                values.Set(parameter.NormalizedName, parameter.Value is null
                    ? throw new InvalidOperationException($"Parameter @{parameter.NormalizedName} has no Value (null): set it, or set DBNull.Value to pass NULL.")
                    : parameter.Value is Stream stream
                    ? StreamValue(stream, session, cancellation)
                    : ToValue(parameter.NormalizedName, parameter.Value));
            }
            catch (Exception e) when (e is InvalidOperationException or NotSupportedException
                || e is StemeException { ErrorCode: StemeErrorCode.InvalidParameterValue })
            {
                values.SetInvalid(parameter.NormalizedName, e);
            }
        }
        return values;
    }

    /// <summary>The StemeQL value of a CLR value; a value it cannot store is an <see cref="StemeErrorCode.InvalidParameterValue"/> error.</summary>
    public static StemeValue ToValue(string name, object? value) => value switch
    {
        null or DBNull => StemeValue.Null,
        string s => StemeValue.Text(s),
        char c => StemeValue.Text(c.ToString()),
        bool b => StemeValue.Boolean(b),
        sbyte or byte or short or ushort or int or uint or long => StemeValue.Integer(Convert.ToInt64(value, null)),
        ulong u => u <= long.MaxValue ? StemeValue.Integer((long)u) : throw TooLarge(name, u),
        float f => StemeValue.Real(f),
        double d => StemeValue.Real(d),
        decimal m => StemeValue.Real((double)m),
        byte[] bytes => StemeValue.Bytes(bytes),
        ReadOnlyMemory<byte> memory => StemeValue.Bytes(memory.Span),
        Memory<byte> memory => StemeValue.Bytes(memory.Span),
        DateTime dateTime => StemeValue.Timestamp(dateTime),
        DateTimeOffset offset => StemeValue.Timestamp(offset.UtcDateTime),
        Guid guid => StemeValue.Text(guid.ToString("D")),
        // An enum is stored as its number; its underlying type may be ulong, so convert through it.
        Enum e => ToValue(name, Convert.ChangeType(e, Enum.GetUnderlyingType(e.GetType()), null)),
        _ => throw new NotSupportedException(
            $"Parameter @{name} has a {value.GetType().Name}, which StemeQL cannot store: use a string, integer, floating-point number, bool, byte[], Stream, DateTime or Guid."),
    };

    /// <summary>
    /// A bytes value read from <paramref name="stream"/>'s current position to its end. A large one is
    /// stored (hashed while it is spooled, never whole in memory) in the object store now, so the
    /// statement carries only its reference; a short seekable one stays inline. Reading the caller's
    /// stream and storing its bytes take as long as the bytes do, which is not waiting, so
    /// <paramref name="cancellation"/>'s timeout clock stops meanwhile: <c>Cancel()</c> and the
    /// caller's token still stop it, with nothing written.
    /// </summary>
    public static StemeValue StreamValue(Stream stream, Session session, CommandCancellation cancellation)
    {
        if (!stream.CanRead) throw new StemeException(StemeErrorCode.InvalidParameterValue, "A Stream parameter must be readable.");
        if (stream.CanSeek && stream.Length - stream.Position <= session.ObjectThreshold)
        {
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return StemeValue.Bytes(copy.GetBuffer().AsSpan(0, (int)copy.Length));
        }
        cancellation.Pause();
        try
        {
            return StemeValue.External(session.Objects.PutAsync(stream, cancellation.Token).GetAwaiter().GetResult());
        }
        finally
        {
            cancellation.Resume();
        }
    }

    private static StemeException TooLarge(string name, ulong value) =>
        new(StemeErrorCode.InvalidParameterValue,
            $"Parameter @{name} is {value}, above the largest StemeQL integer ({long.MaxValue}): pass it as a string or a double.");
}
