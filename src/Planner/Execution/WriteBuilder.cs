using StemeQL.Core.Model;
using StemeQL.Planner.Binding;
using StemeQL.Planner.Syntax;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Planner.Execution;

/// <summary>Turns ASSERT and VOTE statements, with their parameters bound, into storage operations.</summary>
internal readonly struct WriteBuilder(string agent, ParameterValues parameters)
{
    /// <summary>Adds one <see cref="AssertOperation"/> per tuple to <paramref name="operations"/>.</summary>
    public void Assert(AssertStatement statement, List<WriteOperation> operations)
    {
        string epoch = statement.Epoch is null ? "" : Text(statement.Epoch, "IN EPOCH");
        double confidence = statement.Confidence is null ? 1.0 : Number(statement.Confidence, "WITH CONFIDENCE");
        ContentHash[] lineage = statement.DerivedFrom.Count == 0 ? [] : new ContentHash[statement.DerivedFrom.Count];
        for (int i = 0; i < lineage.Length; i++) lineage[i] = ContentHash.Parse(Text(statement.DerivedFrom[i], "DERIVED FROM"));
        for (int i = 0; i < statement.Tuples.Count; i++)
        {
            var tuple = statement.Tuples[i];
            operations.Add(new AssertOperation(new Assertion(
                Text(tuple.Subject, "the subject"), Text(tuple.Predicate, "the predicate"), Object(tuple.Object),
                epoch, agent, lineage, confidence)));
        }
    }

    /// <summary>The vote of this connection's agent.</summary>
    public VoteOperation Vote(VoteStatement statement)
    {
        var hash = ContentHash.Parse(Text(statement.Assertion, "VOTE"));
        double weight = statement.Weight is null ? 1.0 : Number(statement.Weight, "WEIGHT");
        return new VoteOperation(new Vote(hash, agent, weight));
    }

    private StemeValue Evaluate(Expression e) => Constants.Evaluate(e, parameters);

    private string Text(Expression e, string what)
    {
        var value = Evaluate(e);
        return value.Kind == ValueKind.Text
            ? value.AsText
            : throw new StemeException(StemeErrorCode.TypeMismatch, $"{Capitalize(what)} must be text, not {WriteWording.Statements.Describe(value)}: quote it, as in 'paris'.");
    }

    private double Number(Expression e, string what)
    {
        var value = Evaluate(e);
        return value.IsNumeric
            ? value.AsReal
            : throw new StemeException(StemeErrorCode.TypeMismatch, $"{what} must be a number from 0 to 1, not {WriteWording.Statements.Describe(value)}.");
    }

    private StemeValue Object(Expression e) => WriteRules.RequireObject(Evaluate(e), WriteWording.Statements);

    private static string Capitalize(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
