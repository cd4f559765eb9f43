using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Objects;

/// <summary>
/// The object part of an integrity check: every object the ledger names is read whole and its
/// SHA-256 and length compared with its name; a missing or damaged object is a problem.
/// </summary>
public static class ObjectIntegrity
{
    /// <summary>Checks each distinct object named in <paramref name="uses"/> once and reports the problems.</summary>
    public static List<IntegrityProblem> Check(IEnumerable<ObjectUse> uses, IObjectStore objects,
        IProgress<IntegrityProgress>? progress, CancellationToken cancellation)
    {
        var problems = new List<IntegrityProblem>();
        var seen = new HashSet<ContentHash>();
        var buffer = new byte[1 << 20];
        foreach (var use in uses)
        {
            cancellation.ThrowIfCancellationRequested();
            if (!seen.Add(use.Object.Hash)) continue;
            progress?.Report(new IntegrityProgress("objects", seen.Count));
            try
            {
                using var stream = objects.OpenReadAsync(use.Object, 0, cancellation).GetAwaiter().GetResult();
                while (stream.Read(buffer) > 0) { }
            }
            catch (StemeException error) when (error.ErrorCode is StemeErrorCode.ObjectMissing or StemeErrorCode.IntegrityError)
            {
                string kind = error.ErrorCode == StemeErrorCode.ObjectMissing ? IntegrityKinds.ObjectMissing : IntegrityKinds.ObjectDamaged;
                problems.Add(new IntegrityProblem(kind, use.Lsn, use.Assertion,
                    $"the assertion at LSN {use.Lsn} names object sha256:{use.Object.Hash}: {error.Message}"));
            }
        }
        return problems;
    }
}
