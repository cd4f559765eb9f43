namespace StemeQL.Storage.Tests.Support;

/// <summary>Waits for something another thread or process brings about (a session blocked on a lock, say).</summary>
internal static class Wait
{
    /// <summary>Polls <paramref name="condition"/> every 20 ms; fails the test if it is not true within 20 s.</summary>
    public static void Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not come true within 20 s");
            Thread.Sleep(20);
        }
    }
}
