namespace StemeQL.Linq;

/// <summary>
/// One node of a query tree as <see cref="QueryShapeWalk"/> records it, in pre-order: its kind (node type,
/// child count and flags), its CLR type and what else tells it apart (a member, a method, a parameter's name,
/// a literal's value). Two trees have the same shape exactly when their token lists are equal.
/// </summary>
internal struct ShapeToken(int kind, object? type, object? value)
{
    /// <summary>A null child (a static member's missing instance, a lambda's absent conversion).</summary>
    public const int Null = 0xFF;

    /// <summary>A member of a <c>new { ... }</c> or a member binding of an initializer.</summary>
    public const int Member = 0xFE;

    /// <summary>Flag: a constant inside a captured value, compared by type only (its value is read per execution).</summary>
    public const int Captured = 1 << 24;

    /// <summary>Flag: a query root, compared by its relation.</summary>
    public const int Root = 1 << 25;

    /// <summary>Flag: a constant holding a query that is not a root (never equal to another).</summary>
    public const int Queryable = 1 << 26;

    public int Kind = kind;
    public readonly object? Type = type;
    public object? Value = value;

    public readonly bool SameAs(in ShapeToken other) =>
        Kind == other.Kind && ReferenceEquals(Type, other.Type) && ((Kind & Captured) != 0 || Equals(Value, other.Value));
}
