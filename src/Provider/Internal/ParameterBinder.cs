using StemeQL.Core.Model;
using StemeQL.Planner.Binding;

namespace StemeQL.Internal;

/// <summary>Converts CLR parameter values to StemeQL values (the one place this happens).</summary>
internal static class ParameterBinder
{
    /// <summary>
    /// The values of a command's parameters. A value StemeQL cannot store fails the statement that
    /// uses it (<see cref="StemeErrorCode.InvalidParameterValue"/>), not a command that never does.
    /// </summary>
    /// <param name="parameters">The command's parameters.</param>
    /// <param name="agent">The agent the writes are made as when it is not the session's (already authorized); null for the session's.</param>
    public static ParameterValues Bind(StemeParameterCollection parameters, string? agent = null)
    {
        if (parameters.Count == 0 && agent is null) return ParameterValues.None;
        var values = new ParameterValues(parameters.Count) { Agent = agent };
        for (int i = 0; i < parameters.Count; i++)
        {
            var parameter = parameters[i];
            try
            {
                values.Set(parameter.NormalizedName, ToValue(parameter.NormalizedName, parameter.Value));
            }
            catch (StemeException e) when (e.ErrorCode == StemeErrorCode.InvalidParameterValue)
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
        _ => throw new StemeException(StemeErrorCode.InvalidParameterValue,
            $"Parameter @{name} has a {value.GetType().Name}, which StemeQL cannot store: use a string, integer, floating-point number, bool or byte[]."),
    };

    private static StemeException TooLarge(string name, ulong value) =>
        new(StemeErrorCode.InvalidParameterValue,
            $"Parameter @{name} is {value}, above the largest StemeQL integer ({long.MaxValue}): pass it as a string or a double.");
}
