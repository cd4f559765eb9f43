namespace StemeQL.Core.Model;

/// <summary>An agent's confidence, in [0, 1], that an assertion is true.</summary>
public sealed record Vote
{
    /// <summary>Creates a vote, checking the weight.</summary>
    public Vote(ContentHash assertion, string agent, double weight)
    {
        ArgumentNullException.ThrowIfNull(agent);
        Weights.Validate(weight, StemeErrorCode.InvalidWeight, "vote weight");
        Assertion = assertion;
        Agent = agent;
        Weight = weight;
    }

    /// <summary>The assertion voted on.</summary>
    public ContentHash Assertion { get; }

    /// <summary>The voter.</summary>
    public string Agent { get; }

    /// <summary>The voter's confidence in [0, 1].</summary>
    public double Weight { get; }
}
