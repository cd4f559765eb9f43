using StemeQL.Core.Model;
using StemeQL.Planner.Binding;

namespace StemeQL.Planner.Tests.Execution;

public sealed class ParameterValuesTests
{
    [Theory]
    [InlineData(3)]
    [InlineData(40)]   // past the short list: the index by name answers
    public void Names_match_case_insensitively_without_the_at_sign_and_the_last_set_wins(int count)
    {
        var values = new ParameterValues();
        for (int i = 0; i < count; i++) values.Set("@Name" + i, StemeValue.Integer(i));
        values.Set("name1", StemeValue.Text("again"));

        for (int i = 0; i < count; i++)
            Assert.Equal(i == 1 ? StemeValue.Text("again") : StemeValue.Integer(i), values.Get("NAME" + i));
        var missing = Assert.Throws<StemeException>(() => values.Get("other"));
        Assert.Equal(StemeErrorCode.MissingParameter, missing.ErrorCode);
    }
}
