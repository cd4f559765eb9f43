using StemeQL.Core.Model;

namespace StemeQL.Storage.Abstractions;

/// <summary>An assertion whose object is kept in the object store.</summary>
/// <param name="Lsn">The assertion's LSN.</param>
/// <param name="Assertion">The assertion's hash.</param>
/// <param name="Object">The object it names.</param>
public sealed record ObjectUse(long Lsn, ContentHash Assertion, ObjectReference Object);
