using StemeQL.Core.Model;
using StemeQL.Planner.Binding;

namespace StemeQL.Planner.Execution.Stages;

/// <summary>
/// ORDER BY over the keys the projection appended after the first <paramref name="width"/> columns.
/// Stable: ties keep the order the rows arrived in. With a LIMIT it keeps only the best
/// OFFSET + LIMIT rows in a bounded heap (top-k) instead of sorting everything.
/// </summary>
internal sealed class SortStage(int width, IReadOnlyList<SortKey> order) : QueryStage
{
    public override string Operator => "Sort";

    public override string Detail => string.Join(", ", order.Select(o => o.Text));

    public override (double Cost, double Rows) Estimate(double rows) => (rows * Math.Max(1, Math.Log2(Math.Max(rows, 1))), rows);

    public override IEnumerable<StemeValue[]> Run(IEnumerable<StemeValue[]> input, StageContext context)
    {
        var comparer = new Comparer(width, order);
        long? keep = context.Limit is { } limit ? limit + context.Offset : null;
        return keep is { } k && k < int.MaxValue ? TopK(input, comparer, (int)k, context) : SortAll(input, comparer, context);
    }

    private static IEnumerable<StemeValue[]> SortAll(IEnumerable<StemeValue[]> input, Comparer comparer, StageContext context)
    {
        var rows = new List<(StemeValue[] Row, long Seq)>();
        long seq = 0;
        foreach (var row in input) rows.Add((row, seq++));
        context.Cancellation.ThrowIfCancellationRequested();
        rows.Sort(comparer);
        foreach (var (row, _) in rows) yield return row;
    }

    private static IEnumerable<StemeValue[]> TopK(IEnumerable<StemeValue[]> input, Comparer comparer, int k, StageContext context)
    {
        if (k == 0) yield break;
        // A max-heap of the best k so far: the worst of them is on top and is the one replaced.
        var heap = new PriorityQueue<(StemeValue[] Row, long Seq), (StemeValue[] Row, long Seq)>(Comparer<(StemeValue[], long)>.Create((a, b) => comparer.Compare(b, a)));
        long seq = 0;
        foreach (var row in input)
        {
            var item = (row, seq++);
            if (heap.Count < k) heap.Enqueue(item, item);
            else if (comparer.Compare(item, heap.Peek()) < 0) heap.EnqueueDequeue(item, item);
        }
        context.Cancellation.ThrowIfCancellationRequested();
        var best = new List<(StemeValue[] Row, long Seq)>(heap.Count);
        while (heap.Count > 0) best.Add(heap.Dequeue());
        best.Sort(comparer);
        foreach (var (row, _) in best) yield return row;
    }

    private sealed class Comparer(int width, IReadOnlyList<SortKey> order) : IComparer<(StemeValue[] Row, long Seq)>
    {
        public int Compare((StemeValue[] Row, long Seq) a, (StemeValue[] Row, long Seq) b)
        {
            for (int i = 0; i < order.Count; i++)
            {
                int c = a.Row[width + i].CompareForSort(b.Row[width + i]);
                if (c != 0) return order[i].Descending ? -c : c;
            }
            return a.Seq.CompareTo(b.Seq);
        }
    }
}
