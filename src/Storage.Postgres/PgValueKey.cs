using StemeQL.Core.Lenses;
using StemeQL.Core.Model;

namespace StemeQL.Storage.Postgres;

/// <summary>One distinct value of a set as the PostgreSQL views key it: the set, the stored type and the object's digest.</summary>
internal readonly record struct PgValueKey(SetKey Set, short ObjectType, ContentHash Digest) : IValueKey;
