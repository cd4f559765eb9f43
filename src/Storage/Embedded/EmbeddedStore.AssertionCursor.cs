using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Embedded;

public sealed partial class EmbeddedStore
{
    /// <summary>
    /// Ledger rows read in place: the columns of the statement's current row, decoded when asked for (the
    /// statement selects only the parts the read named, see <see cref="LedgerColumns.AssertionFor"/>).
    /// The rows are streamed by <see cref="StreamedRows{T}"/>, which maps nothing per row.
    /// </summary>
    private sealed class AssertionCursor(IEnumerable<bool> rows) : IAssertionCursor
    {
        /// <summary>The map of a read whose rows are read in place: no record per row.</summary>
        public static readonly Func<StatementColumns, AssertionFields, bool> NoRecord = static (_, _) => true;

        private readonly IEnumerator<bool> _rows = rows.GetEnumerator();

        // An empty read (its keys match nothing) is an empty array, not streamed rows.
        private StatementColumns Row => _rows is StreamedRows<bool> streamed
            ? streamed.Row
            : throw new InvalidOperationException("The read is not on a row: call MoveNext first.");

        public bool MoveNext() => _rows.MoveNext();

        public long Lsn => Row.GetInt64(0);

        public ContentHash Hash => RowMapper.StoredHash(Row, Lsn);

        public string Subject => Text(2);

        public string Predicate => Text(3);

        public ObjectType ObjectType
        {
            get
            {
                long type = Row.GetInt64(4);
                return type is >= (long)ObjectType.Text and <= (long)ObjectType.Bytes
                    ? (ObjectType)type
                    : throw RowMapper.Unreadable(Lsn, HashText(), new FormatException($"the object's type {type} is unknown"));
            }
        }

        public StemeValue Object
        {
            get
            {
                var type = ObjectType;
                try
                {
                    return ValueCodec.FromColumn(Row, 5, type);
                }
                catch (Exception error) when (error is InvalidCastException or InvalidOperationException or ArgumentException or StemeException or FormatException or OverflowException)
                {
                    throw RowMapper.Unreadable(Lsn, HashText(), error);
                }
            }
        }

        public string Epoch => Text(6);

        public string Agent => Text(7);

        public DateTime AssertedAt => RowMapper.Time(Row.GetInt64(10));

        public void Dispose() => _rows.Dispose();

        private string Text(int ordinal) => Row.GetString(ordinal);

        // The hash a damaged row's error names, when the read fetched it.
        private string HashText() => Row.GetSpan(1) is { Length: ContentHash.Size } hash ? Convert.ToHexStringLower(hash) : "not read";
    }
}
