using System.Data;
using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace StemeQL;

/// <summary>
/// A value for an <c>@name</c> in the command text. The name may be given with or without the
/// <c>@</c>. The StemeQL type follows the CLR type of <see cref="Value"/>; <see cref="DbType"/>
/// is recorded but never rejected. Parameters are always bound as values, never spliced into text.
/// </summary>
public sealed class StemeParameter : DbParameter
{
    private string _name = "";
    // Kept beside the name: binding reads it once per execution, and "@h"[1..] would allocate each time.
    private string _normalizedName = "";
    private string _sourceColumn = "";

    /// <summary>An unnamed parameter with no value.</summary>
    public StemeParameter() { }

    /// <summary>A named parameter with a value.</summary>
    public StemeParameter(string? name, object? value)
    {
        ParameterName = name;
        Value = value;
    }

    /// <inheritdoc />
    public override DbType DbType { get; set; } = DbType.String;

    /// <inheritdoc />
    public override ParameterDirection Direction
    {
        get => ParameterDirection.Input;
        set
        {
            if (value != ParameterDirection.Input)
                throw new ArgumentException("StemeQL parameters are input only.", nameof(value));
        }
    }

    /// <inheritdoc />
    public override bool IsNullable { get; set; }

    /// <inheritdoc />
    [AllowNull]
    public override string ParameterName
    {
        get => _name;
        set
        {
            _name = value ?? "";
            _normalizedName = _name.StartsWith('@') ? _name[1..] : _name;
        }
    }

    /// <inheritdoc />
    public override int Size { get; set; }

    /// <inheritdoc />
    [AllowNull]
    public override string SourceColumn
    {
        get => _sourceColumn;
        set => _sourceColumn = value ?? "";
    }

    /// <inheritdoc />
    public override bool SourceColumnNullMapping { get; set; }

    /// <inheritdoc />
    public override object? Value { get; set; }

    /// <inheritdoc />
    public override void ResetDbType() => DbType = DbType.String;

    /// <summary>The name without a leading <c>@</c>.</summary>
    internal string NormalizedName => _normalizedName;
}
