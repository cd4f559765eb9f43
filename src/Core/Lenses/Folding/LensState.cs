namespace StemeQL.Core.Lenses;

/// <summary>
/// What a lens stores per candidate set: the LSN of the assertion it returns as the row, one number
/// of its own (consensus keeps the winner's support) and, for lenses that need more, opaque bytes.
/// Stored by (lens, subject, predicate) through <see cref="ILensStateStore"/>, so a new lens needs no schema.
/// </summary>
public sealed record LensState(long WinnerLsn, long Tally = 0, byte[]? Data = null);
