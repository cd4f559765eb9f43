using StemeQL.Core.Model;
using StemeQL.Storage.Abstractions;

namespace StemeQL.Storage.Embedded;

public sealed partial class EmbeddedStore
{
    /// <summary>
    /// Ledger rows read in place: the columns of the statement's current row, decoded when asked for (the
    /// statement selects only the parts the read named, see <see cref="RowMapper.AssertionColumnsFor"/>).
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

        public ObjectType ObjectType => (ObjectType)Row.GetInt64(4);

        public StemeValue Object
        {
            get
            {
                try
                {
                    return ValueCodec.FromColumn(Row, 5, ObjectType);
                }
                catch (Exception error) when (error is InvalidCastException or InvalidOperationException or ArgumentException or FormatException or OverflowException)
                {
                    throw RowMapper.Unreadable(Lsn, "not read", error);
                }
            }
        }

        public string Epoch => Text(6);

        public string Agent => Text(7);

        public DateTime AssertedAt => RowMapper.Time(Row.GetInt64(10));

        public void Dispose() => _rows.Dispose();

        private string Text(int ordinal) => Row.GetString(ordinal);
    }
}
