using System.Collections.Frozen;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace HikiConsult.Grains.Protection;

/// <summary>
/// The data keys, one file per key in a directory apart from the database (shared by every node of a cluster): a
/// file <c>data-{yyyyMMddHHmmssfff}-{id}.key</c> holds a 256-bit key in base64 and is never changed after it is created
/// (temp file, then rename without overwrite), so any number of processes read the directory at once. New writes use
/// the newest key (by the time in its name); older keys stay for reading. A key id this process has not seen (another
/// node rotated) makes it read the directory again.
/// </summary>
public sealed class DataKeyRing
{
    private const string FilePrefix = "data-";
    private const string FileSuffix = ".key";
    private const string TimeFormat = "yyyyMMddHHmmssfff";

    private readonly string _directory;
    private readonly TimeProvider _time;
    private readonly TimeSpan _rotationInterval;
    private readonly Lock _reload = new();
    private volatile Snapshot _snapshot;

    /// <param name="rotationInterval">Age of the newest key after which the next write creates a new one; <see cref="TimeSpan.Zero"/> never.</param>
    public DataKeyRing(string directory, TimeProvider time, TimeSpan rotationInterval)
    {
        _directory = directory;
        _time = time;
        _rotationInterval = rotationInterval;
        PrivateFiles.EnsureDirectory(directory);
        _snapshot = Read();
        if (_snapshot.Newest is null)
        {
            Rotate();
        }
    }

    public string Directory => _directory;

    /// <summary>The key new writes use.</summary>
    public DataKey Current
    {
        get
        {
            var newest = _snapshot.Newest!;
            if (_rotationInterval > TimeSpan.Zero && _time.GetUtcNow() - newest.CreatedAt >= _rotationInterval)
            {
                lock (_reload)
                {
                    // Another node may have rotated already: take its key rather than add one more.
                    _snapshot = Read();
                    newest = _snapshot.Newest!;
                    if (_time.GetUtcNow() - newest.CreatedAt >= _rotationInterval)
                    {
                        Rotate();
                        newest = _snapshot.Newest!;
                    }
                }
            }

            return newest;
        }
    }

    /// <summary>The key with this id, or null when no file of the directory has it.</summary>
    public DataKey? Find(string id)
    {
        if (_snapshot.ById.TryGetValue(id, out var key))
        {
            return key;
        }

        lock (_reload)
        {
            _snapshot = Read();
            return _snapshot.ById.GetValueOrDefault(id);
        }
    }

    /// <summary>Adds a new key, which new writes use from now on; returns its id.</summary>
    public string Rotate()
    {
        lock (_reload)
        {
            var id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
            // Strictly after the newest, so that "newest" never depends on a clock that stood still.
            var created = _time.GetUtcNow();
            if (_snapshot?.Newest is { } newest && created <= newest.CreatedAt)
            {
                created = newest.CreatedAt.AddMilliseconds(1);
            }

            var name = $"{FilePrefix}{created.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture)}-{id}{FileSuffix}";
            var material = Encoding.ASCII.GetBytes(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
            if (!PrivateFiles.TryCreate(Path.Combine(_directory, name), material))
            {
                throw new IOException($"Key file {name} exists already.");
            }

            _snapshot = Read();
            return id;
        }
    }

    private Snapshot Read()
    {
        var keys = new List<DataKey>();
        foreach (var path in System.IO.Directory.EnumerateFiles(_directory, $"{FilePrefix}*{FileSuffix}"))
        {
            var name = Path.GetFileNameWithoutExtension(path)[FilePrefix.Length..];
            var dash = name.IndexOf('-', StringComparison.Ordinal);
            if (dash < 0 || !DateTime.TryParseExact(name[..dash], TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var created))
            {
                continue;
            }

            var material = Convert.FromBase64String(File.ReadAllText(path).Trim());
            if (material.Length != 32)
            {
                throw new InvalidOperationException($"Key file {path} does not hold a 256-bit key.");
            }

            keys.Add(new DataKey(name[(dash + 1)..], new DateTimeOffset(created, TimeSpan.Zero), material));
        }

        var newest = keys.OrderBy(k => k.CreatedAt).ThenBy(k => k.Id, StringComparer.Ordinal).LastOrDefault();
        return new Snapshot(keys.ToFrozenDictionary(k => k.Id, StringComparer.Ordinal), newest);
    }

    private sealed record Snapshot(FrozenDictionary<string, DataKey> ById, DataKey? Newest);
}

/// <summary>One data key: its id (stored with every value it encrypts), when it was made, and its 256 bits.</summary>
public sealed record DataKey(string Id, DateTimeOffset CreatedAt, byte[] Material);
