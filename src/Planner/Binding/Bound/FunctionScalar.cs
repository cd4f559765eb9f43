using StemeQL.Core.Model;

namespace StemeQL.Planner.Binding.Bound;

/// <summary>A call of a scalar function from <see cref="ScalarFunctions"/>.</summary>
internal sealed class FunctionScalar(ScalarFunctions.Definition function, Scalar[] arguments)
    : Scalar(function.ResultType(arguments))
{
    public override StemeValue Eval(StemeValue[] row, ParameterValues parameters)
    {
        var values = new StemeValue[arguments.Length];
        for (int i = 0; i < values.Length; i++) values[i] = arguments[i].Eval(row, parameters);
        return function.Invoke(values);
    }
}
