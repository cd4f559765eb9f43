using System.Globalization;
using StemeQL.Storage.Abstractions;
using StemeQL.Storage.Embedded;
using StemeQL.Storage.Tests.Support;
using static StemeQL.Storage.Tests.Support.Writes;

namespace StemeQL.Storage.Tests;

/// <summary>
/// The ingestor, its decoder and the checkpointer run at a lower priority than the threads writers and readers wait on
/// (<see cref="BackgroundPriority"/>), read back from Linux's own view of each thread (/proc/self/task).
/// </summary>
public sealed class BackgroundPriorityTests : IDisposable
{
    private readonly TempFolder _folder = new();

    [Fact]
    public void The_ingestor_its_decoder_and_the_checkpointer_run_at_the_background_nice_value_and_the_callers_thread_keeps_its_own()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.False(BackgroundPriority.LowerCurrentThread());
            return;
        }
        int before = NiceOf("self");
        using var store = EmbeddedStore.Open(_folder.Path, EmbeddedStoreOptions.Default);
        store.Write([new AssertOperation(A("s", "p", "o"))]);
        using var guard = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        store.WaitForMaterialized(1, guard.Token);

        // Thread names are cut to 15 bytes in comm. The checkpointer and the decoder lower themselves when their
        // threads first run.
        Assert.Equal(BackgroundPriority.Nice, NiceOfThread("StemeQL ingesto"));
        foreach (var thread in new[] { "StemeQL checkpo", "StemeQL decoder" })
        {
            SpinWait.SpinUntil(() => NiceOfThread(thread) == BackgroundPriority.Nice, TimeSpan.FromSeconds(10));
            Assert.Equal(BackgroundPriority.Nice, NiceOfThread(thread));
        }
        Assert.Equal(before, NiceOf("self"));
    }

    private static int NiceOfThread(string comm)
    {
        var ids = Directory.GetDirectories("/proc/self/task")
            .Where(task => CommOf(task) == comm)
            .Select(Path.GetFileName)
            .ToList();
        Assert.NotEmpty(ids);
        return ids.Select(id => NiceOf("self/task/" + id)).Distinct().Single();
    }

    // A thread of the pool may end between the listing and the read: it has no name then.
    private static string? CommOf(string task)
    {
        try
        {
            return File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n');
        }
        catch (Exception error) when (error is DirectoryNotFoundException or FileNotFoundException)
        {
            return null;
        }
    }

    // Field 19 of stat; the command name (field 2) is in parentheses and may hold spaces, so count from its end.
    private static int NiceOf(string process)
    {
        string stat = File.ReadAllText($"/proc/{process}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[19 - 3], CultureInfo.InvariantCulture);
    }

    public void Dispose() => _folder.Dispose();
}
