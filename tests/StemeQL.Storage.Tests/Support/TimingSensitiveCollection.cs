namespace StemeQL.Storage.Tests.Support;

/// <summary>
/// Tests that count fsyncs shared by concurrent writers run alone: beside other test classes on a
/// 2-core machine their threads are descheduled and form smaller groups, which measures the machine,
/// not group commit.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingSensitiveCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Timing-sensitive (runs alone)";
}
