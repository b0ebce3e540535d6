using System.IO.Hashing;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace HikiConsult.Grains.Sessions;

/// <summary>
/// Every (sender, clientMsgId) in one session's log, as 64-bit hashes: what lets the session grain tell a resend
/// from a new message without a unique index in the database, whose page per open session was a second page
/// written on every message. A hash can only err towards "maybe seen": the grain then looks the message up in the
/// log, so a collision costs one read and never drops a message. Keys are hashed with a seed chosen per process,
/// so nobody can make their ids collide on purpose. About 20 bytes per message and no references, so the
/// collector never has to trace it.
/// </summary>
internal sealed class SentMessageIds
{
    /// <summary>Room for this many before the first resize: each resize is a new array that lives as long as the session.</summary>
    private const int InitialCapacity = 128;

    private static readonly long Seed = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(sizeof(long)));

    private readonly HashSet<ulong> _hashes;

    public SentMessageIds(IReadOnlyCollection<SentMessageKey> stored)
    {
        _hashes = new HashSet<ulong>(Math.Max(InitialCapacity, stored.Count * 2));
        foreach (var key in stored)
        {
            _hashes.Add(Key(key.SenderId, key.ClientMsgId));
        }
    }

    /// <summary>False: certainly new. True: stored earlier, or (rarely) another id with the same hash.</summary>
    /// <param name="key">From <see cref="Key"/>.</param>
    public bool MayContain(ulong key) => _hashes.Contains(key);

    /// <param name="key">From <see cref="Key"/>.</param>
    public void Add(ulong key) => _hashes.Add(key);

    /// <summary>What this set keeps of one (sender, clientMsgId): worked out once per message, looked up and added.</summary>
    public static ulong Key(string senderId, string clientMsgId)
    {
        // The sender's hash seeds the id's, so ("a", "bc") and ("ab", "c") differ.
        var sender = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(senderId.AsSpan()), Seed);
        return XxHash3.HashToUInt64(MemoryMarshal.AsBytes(clientMsgId.AsSpan()), unchecked((long)sender));
    }
}
