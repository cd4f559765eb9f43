using StemeQL.Core.Model;

namespace StemeQL.Planner.Binding;

/// <summary>The parameter values of one execution, by name without <c>@</c>, matched case-insensitively.</summary>
/// <remarks>
/// A command has a handful of parameters and a batch binds them once per command, so they are kept
/// in a short list searched in order: cheaper than hashing names into a dictionary each time.
/// Past <see cref="ListLimit"/> names an index by name takes over the search.
/// </remarks>
public sealed class ParameterValues
{
    private const int ListLimit = 16;

    // An array and a count rather than a List: a batch binds one of these per command.
    private (string Name, StemeValue Value)[] _values;
    private int _count;
    private Dictionary<string, int>? _index;
    private Dictionary<string, Exception>? _invalid;

    /// <summary>No values yet.</summary>
    public ParameterValues() : this(0) { }

    /// <summary>No values yet, with room for <paramref name="capacity"/> of them.</summary>
    public ParameterValues(int capacity) => _values = capacity == 0 ? [] : new (string, StemeValue)[capacity];

    /// <summary>No parameters.</summary>
    public static readonly ParameterValues None = new();

    /// <summary>
    /// The agent this execution's writes are made as, instead of the session's (a batch command or
    /// bulk row written for another agent, after the provider checked that its writer may); null: the session's.
    /// </summary>
    public string? Agent { get; init; }

    /// <summary>
    /// Forgets every value but keeps the room for them, so that a command can bind its next execution
    /// into the same object (once the reader that used these values is closed).
    /// </summary>
    public void Clear()
    {
        Array.Clear(_values, 0, _count);
        _count = 0;
        _index = null;
        _invalid = null;
    }

    /// <summary>Sets a value; a leading <c>@</c> on the name is ignored.</summary>
    public void Set(string name, StemeValue value)
    {
        name = Normalize(name);
        _invalid?.Remove(name);
        int index = IndexOf(name);
        if (index >= 0)
        {
            _values[index] = (name, value);
            return;
        }
        if (_count == _values.Length) Array.Resize(ref _values, Math.Max(4, _count * 2));
        _values[_count++] = (name, value);
        if (_index is not null) _index[name] = _count - 1;
        else if (_count > ListLimit) _index = _values.Take(_count).Select((v, i) => (v.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Records that <c>@name</c> has a value StemeQL cannot bind: <paramref name="error"/> is thrown
    /// only if a statement uses the parameter, so an unused odd value does not fail the command.
    /// </summary>
    public void SetInvalid(string name, Exception error)
    {
        Set(name, StemeValue.Null);
        (_invalid ??= new(StringComparer.OrdinalIgnoreCase))[Normalize(name)] = error;
    }

    /// <summary>The value of <c>@name</c>, or <see cref="StemeErrorCode.MissingParameter"/>.</summary>
    public StemeValue Get(string name) => IndexOf(name) is var index and >= 0
        ? (_invalid is not null && _invalid.TryGetValue(name, out var error) ? throw error : _values[index].Value)
        : throw new StemeException(StemeErrorCode.MissingParameter,
            $"The statement uses @{name} but the command has no parameter of that name: add it to the command's Parameters (for example cmd.Parameters.AddWithValue(\"{name}\", value)).");

    private int IndexOf(string name)
    {
        if (_index is not null) return _index.TryGetValue(name, out int found) ? found : -1;
        for (int i = 0; i < _count; i++)
        {
            if (string.Equals(_values[i].Name, name, StringComparison.OrdinalIgnoreCase)) return i;
        }
        return -1;
    }

    /// <summary>Strips one leading <c>@</c>.</summary>
    public static string Normalize(string name) => name.StartsWith('@') ? name[1..] : name;
}
