using StemeQL.Core.Model;

namespace StemeQL.Planner.Execution;

/// <summary>
/// One spare source-row buffer per thread and row width, so a repeated keyed read does not allocate a
/// 12-value row each time. A buffer is taken (the slot empties) for one read and given back when that
/// read's rows are done, on whichever thread finishes it; a read that finds the slot empty (a nested
/// or concurrent read) allocates its own. Safe because no stage keeps an input row once it asks for
/// the next (see <see cref="Stages.QueryStage"/>).
/// </summary>
internal static class RowBuffers
{
    private const int MaxWidth = 16;

    [ThreadStatic] private static StemeValue[]?[]? t_spares;

    /// <summary>A cleared buffer of <paramref name="width"/> values.</summary>
    public static StemeValue[] Take(int width)
    {
        if (width <= MaxWidth && t_spares?[width] is { } spare)
        {
            t_spares[width] = null;
            return spare;
        }
        return new StemeValue[width];
    }

    /// <summary>Gives <paramref name="buffer"/> back for the next read on this thread (cleared, so it holds no values alive).</summary>
    public static void Return(StemeValue[] buffer)
    {
        if (buffer.Length > MaxWidth) return;
        Array.Clear(buffer);
        (t_spares ??= new StemeValue[]?[MaxWidth + 1])[buffer.Length] = buffer;
    }
}
