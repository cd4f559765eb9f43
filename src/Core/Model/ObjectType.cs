namespace StemeQL.Core.Model;

/// <summary>The type of an assertion's object. The numeric values are stored on disk and hashed: never renumber.</summary>
public enum ObjectType : byte
{
    /// <summary>UTF-8 text.</summary>
    Text = 1,
    /// <summary>64-bit signed integer.</summary>
    Integer = 2,
    /// <summary>64-bit IEEE floating point.</summary>
    Real = 3,
    /// <summary>TRUE or FALSE.</summary>
    Boolean = 4,
    /// <summary>Raw bytes.</summary>
    Bytes = 5,
}

/// <summary>The lowercase names StemeQL shows for object types (the <c>object_type</c> column).</summary>
public static class ObjectTypeNames
{
    /// <summary>The name of a type, e.g. <c>integer</c>.</summary>
    public static string Name(this ObjectType type) => type switch
    {
        ObjectType.Text => "text",
        ObjectType.Integer => "integer",
        ObjectType.Real => "real",
        ObjectType.Boolean => "boolean",
        ObjectType.Bytes => "bytes",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown object type."),
    };
}
