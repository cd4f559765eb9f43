using StemeQL.Core.Model;
using StemeQL.Planner.Binding;

namespace StemeQL.Internal;

/// <summary>Converts CLR parameter values to StemeQL values (the one place this happens).</summary>
internal static class ParameterBinder
{
    /// <summary>The values of a command's parameters.</summary>
    public static ParameterValues Bind(StemeParameterCollection parameters)
    {
        if (parameters.Count == 0) return ParameterValues.None;
        var values = new ParameterValues(parameters.Count);
        for (int i = 0; i < parameters.Count; i++)
        {
            var parameter = parameters[i];
            values.Set(parameter.NormalizedName, ToValue(parameter.NormalizedName, parameter.Value));
        }
        return values;
    }

    /// <summary>The StemeQL value of a CLR value.</summary>
    public static StemeValue ToValue(string name, object? value) => value switch
    {
        null or DBNull => StemeValue.Null,
        string s => StemeValue.Text(s),
        char c => StemeValue.Text(c.ToString()),
        bool b => StemeValue.Boolean(b),
        sbyte or byte or short or ushort or int or uint or long => StemeValue.Integer(Convert.ToInt64(value, null)),
        ulong u when u <= long.MaxValue => StemeValue.Integer((long)u),
        float or double or decimal => StemeValue.Real(Convert.ToDouble(value, null)),
        byte[] bytes => StemeValue.Bytes(bytes),
        ReadOnlyMemory<byte> memory => StemeValue.Bytes(memory.Span),
        Memory<byte> memory => StemeValue.Bytes(memory.Span),
        DateTime dateTime => StemeValue.Timestamp(dateTime),
        DateTimeOffset offset => StemeValue.Timestamp(offset.UtcDateTime),
        Guid guid => StemeValue.Text(guid.ToString("D")),
        Enum e => StemeValue.Integer(Convert.ToInt64(e, null)),
        _ => throw new StemeException(StemeErrorCode.InvalidParameterValue,
            $"Parameter @{name} has a {value.GetType().Name}, which StemeQL cannot store: use a string, integer, floating-point number, bool or byte[]."),
    };
}
