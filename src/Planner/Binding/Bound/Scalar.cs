using StemeQL.Core.Model;

namespace StemeQL.Planner.Binding.Bound;

/// <summary>
/// A bound expression: columns resolved to ordinals, functions to their implementations, its type
/// known where it can be. Built once per plan and evaluated per row with the execution's parameters.
/// </summary>
internal abstract class Scalar(ColumnType type)
{
    /// <summary>The declared type of the value (<see cref="ColumnType.Object"/> when it depends on the row).</summary>
    public ColumnType Type { get; } = type;

    /// <summary>The value for one row.</summary>
    public abstract StemeValue Eval(StemeValue[] row, ParameterValues parameters);

    /// <summary>True when the value does not depend on the row (literals and parameters).</summary>
    public virtual bool IsConstant => false;
}

/// <summary>A literal.</summary>
internal sealed class LiteralScalar(StemeValue value) : Scalar(Types.Of(value))
{
    public StemeValue Value => value;

    public override StemeValue Eval(StemeValue[] row, ParameterValues parameters) => value;

    public override bool IsConstant => true;
}

/// <summary>An <c>@parameter</c>, read from the execution's values.</summary>
internal sealed class ParameterScalar(string name) : Scalar(ColumnType.Object)
{
    public override StemeValue Eval(StemeValue[] row, ParameterValues parameters) => parameters.Get(name);

    public override bool IsConstant => true;
}

/// <summary>A column of the row, by ordinal.</summary>
internal sealed class ColumnScalar(int ordinal, ColumnType type, bool isHash = false) : Scalar(type)
{
    public int Ordinal => ordinal;

    /// <summary>True for a column of content hashes (lowercase hex), which compare with hex in either case.</summary>
    public bool IsHash => isHash;

    public override StemeValue Eval(StemeValue[] row, ParameterValues parameters) => row[ordinal];
}

/// <summary>
/// A value compared with a hash column: hex text is lowercased, so <c>hash = 'AB…'</c> finds what
/// <c>hash = 'ab…'</c> finds, as the reference promises.
/// </summary>
internal sealed class HashTextScalar(Scalar operand) : Scalar(operand.Type)
{
    public override StemeValue Eval(StemeValue[] row, ParameterValues parameters)
    {
        var value = operand.Eval(row, parameters);
        return value.Kind == ValueKind.Text && value.AsText.Length == 64 && !value.AsText.AsSpan().ContainsAnyExcept(HexDigits)
            ? StemeValue.Text(value.AsText.ToLowerInvariant())
            : value;
    }

    public override bool IsConstant => operand.IsConstant;

    private static readonly System.Buffers.SearchValues<char> HexDigits = System.Buffers.SearchValues.Create("0123456789abcdefABCDEF");
}
