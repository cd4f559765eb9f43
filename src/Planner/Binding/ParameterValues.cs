using StemeQL.Core.Model;

namespace StemeQL.Planner.Binding;

/// <summary>The parameter values of one execution, by name without <c>@</c>, matched case-insensitively.</summary>
public sealed class ParameterValues
{
    private readonly Dictionary<string, StemeValue> _values = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>No parameters.</summary>
    public static readonly ParameterValues None = new();

    /// <summary>Sets a value; a leading <c>@</c> on the name is ignored.</summary>
    public void Set(string name, StemeValue value) => _values[Normalize(name)] = value;

    /// <summary>The value of <c>@name</c>, or <see cref="StemeErrorCode.MissingParameter"/>.</summary>
    public StemeValue Get(string name) => _values.TryGetValue(name, out var value)
        ? value
        : throw new StemeException(StemeErrorCode.MissingParameter,
            $"The statement uses @{name} but the command has no parameter of that name: add it to the command's Parameters (for example cmd.Parameters.AddWithValue(\"{name}\", value)).");

    /// <summary>Strips one leading <c>@</c>.</summary>
    public static string Normalize(string name) => name.StartsWith('@') ? name[1..] : name;
}
