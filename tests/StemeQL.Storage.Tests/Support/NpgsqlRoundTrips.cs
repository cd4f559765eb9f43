using System.Diagnostics;

namespace StemeQL.Storage.Tests.Support;

/// <summary>
/// The round trips an action makes to PostgreSQL: Npgsql traces one activity per command or batch it sends (a
/// transaction's BEGIN rides with the first; the store sends its COMMIT inside its last batch). Only the action's own
/// are counted (children of an activity started around it), since other tests run in parallel in this process.
/// </summary>
internal static class NpgsqlRoundTrips
{
    public static int Of(Action action)
    {
        using var scope = new ActivitySource("StemeQL.Tests.RoundTrips");
        int count = 0;
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Npgsql" or "StemeQL.Tests.RoundTrips",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        Activity? parent = null;
        listener.ActivityStopped = activity =>
        {
            // Only this action's: other tests run in parallel in this process.
            if (activity.Source.Name == "Npgsql" && parent is not null && activity.Parent == parent) Interlocked.Increment(ref count);
        };
        ActivitySource.AddActivityListener(listener);
        using (parent = scope.StartActivity("action")) action();
        return count;
    }
}
