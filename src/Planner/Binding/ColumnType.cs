namespace StemeQL.Planner.Binding;

/// <summary>The declared type of a result column.</summary>
public enum ColumnType
{
    /// <summary>Text.</summary>
    Text,
    /// <summary>64-bit integer.</summary>
    Integer,
    /// <summary>64-bit floating point.</summary>
    Real,
    /// <summary>Boolean.</summary>
    Boolean,
    /// <summary>UTC timestamp.</summary>
    Timestamp,
    /// <summary>Bytes.</summary>
    Bytes,
    /// <summary>A typed object: each row's value may be text, integer, real, boolean or bytes.</summary>
    Object,
}

/// <summary>A result column: its name and declared type.</summary>
public sealed record ResultColumn(string Name, ColumnType Type);
