namespace StemeQL.Linq;

/// <summary>
/// A cached query shape (<see cref="InlineQueryCache"/>): the tokens that identify it, a compiled reader per
/// captured value, and the translations made for it. A repeated execution reads its values with the readers
/// and binds them to the translation whose facts they satisfy, whose <see cref="QueryTemplate.Commands"/>
/// keeps a prepared command for the next execution.
/// </summary>
internal sealed class InlineQuery
{
    private const int MaxTemplates = 8;
    private readonly ShapeToken[] _tokens;
    private readonly Reader[] _readers;
    private readonly Lock _gate = new();
    private QueryTemplate[] _templates = [];
    private int _translations;

    /// <summary>
    /// The shape of <paramref name="walk"/>; <paramref name="positions"/> gives, for each of its captured values,
    /// its position among the Funcletizer's (the order the translation numbers them in).
    /// </summary>
    public InlineQuery(QueryShapeWalk walk, int[] positions)
    {
        _tokens = walk.Tokens.ToArray();
        Hash = walk.Hash;
        _readers = new Reader[positions.Length];
        for (int i = 0; i < positions.Length; i++)
        {
            var slot = walk.Slots[i];
            _readers[i] = new Reader(CapturedValueReader.For(slot.Node), slot.FirstConstant, positions[i]);
        }
    }

    public int Hash { get; }

    /// <summary>How many translations this shape needed (one, unless the facts of its values changed), for tests.</summary>
    public int Translations => Volatile.Read(ref _translations);

    /// <summary>True when <paramref name="walk"/> recorded exactly this shape.</summary>
    public bool Matches(QueryShapeWalk walk)
    {
        var tokens = walk.Tokens;
        if (walk.Hash != Hash || tokens.Length != _tokens.Length) return false;
        for (int i = 0; i < tokens.Length; i++)
        {
            if (!_tokens[i].SameAs(tokens[i])) return false;
        }
        return true;
    }

    /// <summary>This execution's captured values, read from the constants of <paramref name="walk"/>.</summary>
    public object?[] Read(QueryShapeWalk walk)
    {
        if (_readers.Length == 0) return [];
        var values = new object?[_readers.Length];
        var constants = walk.Constants;
        foreach (var reader in _readers) values[reader.Position] = reader.Read(constants, reader.FirstConstant);
        return values;
    }

    /// <summary>A translation whose facts <paramref name="values"/> satisfy, or null.</summary>
    public QueryTemplate? TemplateFor(object?[] values)
    {
        foreach (var template in Volatile.Read(ref _templates))
        {
            if (CapturedValues.Satisfies(template.Facts, values)) return template;
        }
        return null;
    }

    /// <summary>Keeps a new translation (the newest few: values that keep changing their facts translate again).</summary>
    public void Add(QueryTemplate template)
    {
        Interlocked.Increment(ref _translations);
        lock (_gate)
        {
            var templates = _templates;
            _templates = templates.Length < MaxTemplates ? [template, .. templates] : [template, .. templates[..^1]];
        }
    }

    private readonly record struct Reader(Func<object?[], int, object?> Read, int FirstConstant, int Position);
}
