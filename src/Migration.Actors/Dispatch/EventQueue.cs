using System.Numerics;
using System.Runtime.CompilerServices;

namespace Migration.Actors.Dispatch;

/// <summary>
/// The pending deliveries of one scheduler, popped in (time, origin host, origin sequence) order.
/// Most deliveries never touch the heap. Those due at the current instant that arrive in key order
/// (an actor telling another on its own host) wait in a FIFO; those that arrive out of order wait in
/// one FIFO per origin host (all have the same time, and a host's sequence numbers only grow, so
/// each is in key order, and the next is the head of the lowest host's). Messages between hosts,
/// all sent one link latency ahead, wait in a sorted crossing lane. The heap holds the rest of the
/// future. Popping takes the smallest head, which keeps the order exact.
/// </summary>
/// <remarks>
/// The heap is 4-ary (half the depth of a binary heap, and a node's children share cache lines, as
/// in .NET's PriorityQueue) and orders keys only: (time, origin key, slot), with no object
/// references, so sifting moves plain data and pays no GC write barrier. The envelopes of the heap
/// and of the per-host FIFOs wait in one slot table and move once in, once out; a per-host FIFO is
/// a chain of slots.
/// </remarks>
internal sealed class EventQueue
{
    private const int InitialCapacity = 64;
    private const int Arity = 4;
    private const int ArityLog2 = 2;

    private readonly long lengthMax;
    private HeapKey[] heap = new HeapKey[InitialCapacity];
    private int heapCount;

    // The slot table: an envelope per slot, for the heap and the current instant alike.
    private Envelope[] slots = new Envelope[InitialCapacity];
    private int[] freeSlots = new int[InitialCapacity];
    private int[] heapIndex = new int[InitialCapacity];   // by slot: where its key is in the heap, or -1
    private int[] nextInChain = new int[InitialCapacity]; // by slot: the next of its host's current-instant FIFO, or -1
    private int freeSlotCount;
    private int slotsUsed;

    // The current instant's deliveries that arrived in key order: a ring buffer. The same structure
    // as a Lane, kept in fields here because it is the hot path of every local message (as a Lane
    // field, ping-pong measured about 7% slower).
    private Envelope[] fifo = new Envelope[InitialCapacity];
    private int fifoHead;
    private int fifoCount;

    // The current instant's deliveries that did not, by origin host: first and last slot (or -1), and
    // which are not empty.
    private int[] chainHead;
    private int[] chainTail;
    private ulong[] chainsNotEmpty;
    private int lowestChain = -1;
    private int chainedCount;

    private Lane crossing = new();   // a mutable struct, used in place

    public EventQueue(long lengthMax, int hostCount = 1)
    {
        this.lengthMax = lengthMax;
        chainHead = NewChainEnds(Math.Max(1, hostCount));
        chainTail = NewChainEnds(chainHead.Length);
        chainsNotEmpty = new ulong[(chainHead.Length + 63) / 64];
    }

    public int Count => heapCount + fifoCount + chainedCount + crossing.Count;

    public bool IsEmpty => Count == 0;

    /// <summary>The delivery time of the next event; only valid when not empty.</summary>
    public long PeekTimeTicks
    {
        get
        {
            var time = long.MaxValue;
            if (fifoCount != 0) time = fifo[fifoHead].TimeTicks;
            if (chainedCount != 0) time = Math.Min(time, slots[chainHead[lowestChain]].TimeTicks);
            if (crossing.Count != 0) time = Math.Min(time, crossing.Head.TimeTicks);
            if (heapCount != 0) time = Math.Min(time, heap[0].TimeTicks);
            return time;
        }
    }

    /// <summary>Queues a delivery due at or after <paramref name="nowTicks"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(in Envelope envelope, long nowTicks)
    {
        if (envelope.TimeTicks != nowTicks) PushHeap(envelope);
        else if (fifoCount == 0 || Envelope.Precedes(fifo[(fifoHead + fifoCount - 1) & (fifo.Length - 1)], envelope)) PushFifo(envelope);
        else if (!TryChain(envelope)) PushHeap(envelope);
    }

    private void PushFifo(in Envelope envelope)
    {
        if (fifoCount == fifo.Length) GrowFifo();
        fifo[(fifoHead + fifoCount) & (fifo.Length - 1)] = envelope;
        fifoCount++;
    }

    private void GrowFifo()
    {
        CheckRoomToGrow();
        var larger = new Envelope[fifo.Length * 2];
        for (var i = 0; i < fifoCount; i++) larger[i] = fifo[(fifoHead + i) & (fifo.Length - 1)];
        fifo = larger;
        fifoHead = 0;
    }

    /// <summary>
    /// Queues a message between hosts sent now with no delay beyond the link latency: such messages
    /// come due in the order they are sent, so they usually append to the crossing lane.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PushCrossing(in Envelope envelope)
    {
        if (!crossing.TryAppend(envelope, this)) PushHeap(envelope);
    }

    /// <summary>Pops the next event if it is due before <paramref name="exclusiveEndTicks"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryPopBefore(long exclusiveEndTicks, out Envelope envelope)
    {
        // The common case first: the in-order FIFO's head, when nothing else comes before it.
        if (fifoCount != 0)
        {
            ref var head = ref fifo[fifoHead];
            if ((heapCount | chainedCount | crossing.Count) == 0 || FifoHeadFirst(head))
            {
                if (head.TimeTicks >= exclusiveEndTicks)
                {
                    envelope = default;
                    return false;
                }
                envelope = head;
                head = default;
                fifoHead = (fifoHead + 1) & (fifo.Length - 1);
                fifoCount--;
                return true;
            }
        }
        return TryPopOther(exclusiveEndTicks, out envelope);
    }

    /// <summary>Whether the in-order FIFO's head comes before every other head.</summary>
    private bool FifoHeadFirst(in Envelope head) =>
        (heapCount == 0 || heap[0].Follows(head)) &&
        (crossing.Count == 0 || Envelope.Precedes(head, crossing.Head)) &&
        (chainedCount == 0 || Envelope.Precedes(head, slots[chainHead[lowestChain]]));

    /// <summary>Pops the earliest of the chained FIFOs', the crossing lane's and the heap's heads (the FIFO's comes later).</summary>
    private bool TryPopOther(long exclusiveEndTicks, out Envelope envelope)
    {
        // 0: the lowest chained FIFO, 1: the crossing lane; the heap wins if it comes first.
        var source = -1;
        ref readonly var first = ref Unsafe.NullRef<Envelope>();
        if (chainedCount != 0)
        {
            source = 0;
            first = ref slots[chainHead[lowestChain]];
        }
        if (crossing.Count != 0 && (source < 0 || Envelope.Precedes(crossing.Head, first)))
        {
            source = 1;
            first = ref crossing.Head;
        }
        if (heapCount != 0 && (source < 0 || !heap[0].Follows(first)))
        {
            if (heap[0].TimeTicks >= exclusiveEndTicks)
            {
                envelope = default;
                return false;
            }
            envelope = PopHeap();
            return true;
        }
        if (source < 0 || first.TimeTicks >= exclusiveEndTicks)
        {
            envelope = default;
            return false;
        }
        envelope = source == 0 ? PopChain() : crossing.Pop();
        return true;
    }

    /// <summary>Appends a delivery due now to its origin host's FIFO; false if it would not be in key order there.</summary>
    private bool TryChain(in Envelope envelope)
    {
        var host = envelope.OriginHost;
        if (host >= chainHead.Length) GrowChains(host);
        var tail = chainTail[host];
        if (tail >= 0 && !Envelope.Precedes(slots[tail], envelope)) return false;
        var slot = AllocateSlot(envelope);
        heapIndex[slot] = -1;
        nextInChain[slot] = -1;
        if (tail >= 0)
        {
            nextInChain[tail] = slot;
        }
        else
        {
            chainHead[host] = slot;
            chainsNotEmpty[host >> 6] |= 1UL << host;
            if (lowestChain < 0 || host < lowestChain) lowestChain = host;
        }
        chainTail[host] = slot;
        chainedCount++;
        return true;
    }

    private Envelope PopChain()
    {
        var host = lowestChain;
        var slot = chainHead[host];
        var popped = slots[slot];
        var next = nextInChain[slot];
        Free(slot);
        chainedCount--;
        chainHead[host] = next;
        if (next < 0)
        {
            chainTail[host] = -1;
            chainsNotEmpty[host >> 6] &= ~(1UL << host);
            lowestChain = NextChain(host + 1);
        }
        return popped;
    }

    /// <summary>The lowest host at or after <paramref name="from"/> whose FIFO is not empty, or -1.</summary>
    private int NextChain(int from)
    {
        for (var word = from >> 6; word < chainsNotEmpty.Length; word++)
        {
            var bits = chainsNotEmpty[word];
            if (word == from >> 6) bits &= ulong.MaxValue << (from & 63);
            if (bits != 0) return word * 64 + BitOperations.TrailingZeroCount(bits);
        }
        return -1;
    }

    private void GrowChains(int host)
    {
        var length = Math.Max(host + 1, chainHead.Length * 2);
        var head = NewChainEnds(length);
        var tail = NewChainEnds(length);
        chainHead.CopyTo(head, 0);
        chainTail.CopyTo(tail, 0);
        chainHead = head;
        chainTail = tail;
        Array.Resize(ref chainsNotEmpty, (length + 63) / 64);
    }

    private static int[] NewChainEnds(int length)
    {
        var ends = new int[length];
        Array.Fill(ends, -1);
        return ends;
    }

    private int AllocateSlot(in Envelope envelope)
    {
        int slot;
        if (freeSlotCount > 0)
        {
            slot = freeSlots[--freeSlotCount];
        }
        else
        {
            if (slotsUsed == slots.Length) GrowSlots();
            slot = slotsUsed++;
        }
        slots[slot] = envelope;
        return slot;
    }

    private void GrowSlots()
    {
        CheckRoomToGrow();
        var length = slots.Length * 2;
        Array.Resize(ref slots, length);
        Array.Resize(ref freeSlots, length);
        Array.Resize(ref heapIndex, length);
        Array.Resize(ref nextInChain, length);
    }

    /// <summary>
    /// Checks the length limit before an array grows (a push into spare capacity is free), so a limit
    /// below the arrays' first capacities (64 each) is only enforced past those.
    /// </summary>
    private void CheckRoomToGrow()
    {
        if (Count >= lengthMax) ThrowFull();
    }

    /// <summary>Deliveries in strictly increasing key order, in a ring buffer, appended at the tail.</summary>
    private struct Lane
    {
        private Envelope[] items;
        private int head;

        public Lane()
        {
            items = new Envelope[InitialCapacity];
            head = 0;
            Count = 0;
        }

        public int Count { get; private set; }

        public ref Envelope Head => ref items[head];

        private ref Envelope At(int index) => ref items[(head + index) & (items.Length - 1)];

        /// <summary>Appends a delivery that follows the tail; false (and nothing done) if it does not.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool TryAppend(in Envelope envelope, EventQueue queue)
        {
            if (Count != 0 && !Envelope.Precedes(At(Count - 1), envelope)) return false;
            if (Count == items.Length) Grow(queue);
            At(Count) = envelope;
            Count++;
            return true;
        }

        public Envelope Pop()
        {
            ref var first = ref items[head];
            var popped = first;
            first = default;
            head = (head + 1) & (items.Length - 1);
            Count--;
            return popped;
        }

        private void Grow(EventQueue queue)
        {
            queue.CheckRoomToGrow();
            var larger = new Envelope[items.Length * 2];
            for (var i = 0; i < Count; i++) larger[i] = At(i);
            items = larger;
            head = 0;
        }

        public void AssertSorted(string name)
        {
            for (var i = 1; i < Count; i++)
            {
                if (!Envelope.Precedes(At(i - 1), At(i)))
                    throw new InvariantViolationException($"{name} lane out of order at {i}: {At(i)}");
            }
        }
    }

    private int PushHeap(in Envelope envelope)
    {
        if (heapCount == heap.Length) GrowHeap();
        var slot = AllocateSlot(envelope);
        SiftUp(new HeapKey(envelope.TimeTicks, envelope.OriginKey, slot), heapCount++);
        return slot;
    }

    /// <summary>
    /// Queues a delivery that may be withdrawn before it is due (a timer): returns its slot for
    /// <see cref="TryWithdraw"/>, or -1 when it went to a lane (due now), where it stays.
    /// </summary>
    public int PushWithdrawable(in Envelope envelope, long nowTicks)
    {
        if (envelope.TimeTicks == nowTicks)
        {
            Push(envelope, nowTicks);
            return -1;
        }
        return PushHeap(envelope);
    }

    /// <summary>
    /// Takes back the delivery in <paramref name="slot"/> if it still carries <paramref name="message"/>
    /// (a slot is reused once its delivery is popped). Returns whether it was withdrawn.
    /// </summary>
    public bool TryWithdraw(int slot, object message)
    {
        if ((uint)slot >= (uint)slotsUsed || !ReferenceEquals(slots[slot].Message, message)) return false;
        var index = heapIndex[slot];
        if (index < 0) return false;   // due now, in its host's FIFO: not withdrawable
        Free(slot);
        var last = heap[--heapCount];
        if (index == heapCount) return true;
        // The last key fills the hole: up if it precedes the hole's parent, else down.
        if (index > 0 && last.Precedes(heap[(index - 1) >> ArityLog2])) SiftUp(last, index);
        else SiftDown(last, index);
        return true;
    }

    private void GrowHeap()
    {
        CheckRoomToGrow();
        Array.Resize(ref heap, heap.Length * 2);
    }

    private Envelope PopHeap()
    {
        var slot = heap[0].Slot;
        var top = slots[slot];
        Free(slot);
        var last = heap[--heapCount];
        if (heapCount > 0) SiftDown(last, 0);
        return top;
    }

    private void Free(int slot)
    {
        slots[slot] = default;
        heapIndex[slot] = -1;
        freeSlots[freeSlotCount++] = slot;
    }

    /// <summary>Places <paramref name="key"/> at <paramref name="index"/> or above, moving parents down.</summary>
    private void SiftUp(HeapKey key, int index)
    {
        while (index > 0)
        {
            var parent = (index - 1) >> ArityLog2;
            if (!key.Precedes(heap[parent])) break;
            Place(heap[parent], index);
            index = parent;
        }
        Place(key, index);
    }

    /// <summary>Places <paramref name="key"/> at <paramref name="index"/> or below, moving the least children up.</summary>
    private void SiftDown(HeapKey key, int index)
    {
        while (true)
        {
            var first = (index << ArityLog2) + 1;
            if (first >= heapCount) break;
            var least = first;
            var end = Math.Min(first + Arity, heapCount);
            for (var child = first + 1; child < end; child++)
            {
                if (heap[child].Precedes(heap[least])) least = child;
            }
            if (!heap[least].Precedes(key)) break;
            Place(heap[least], index);
            index = least;
        }
        Place(key, index);
    }

    /// <summary>Puts a key at a position and records the position by its slot (for withdrawal).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Place(HeapKey key, int index)
    {
        heap[index] = key;
        heapIndex[key.Slot] = index;
    }

    /// <summary>A heap entry: the envelope's order key and where the envelope waits.</summary>
    private readonly struct HeapKey(long timeTicks, long originKey, int slot)
    {
        public readonly long TimeTicks = timeTicks;
        public readonly long OriginKey = originKey;
        public readonly int Slot = slot;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Precedes(in HeapKey other) =>
            TimeTicks < other.TimeTicks || (TimeTicks == other.TimeTicks && OriginKey < other.OriginKey);

        /// <summary>True when <paramref name="envelope"/> is delivered strictly before this entry's.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool Follows(in Envelope envelope) =>
            envelope.TimeTicks < TimeTicks || (envelope.TimeTicks == TimeTicks && envelope.OriginKey < OriginKey);
    }

    /// <summary>
    /// Checks every cross-field invariant: the heap is ordered (a parent precedes its children,
    /// otherwise events would be delivered out of order), every key matches the envelope in its slot
    /// and every slot is a key's, a current-instant delivery's or free, and each FIFO and lane is
    /// strictly increasing (only heads are compared, so each must be sorted on its own).
    /// </summary>
    public void AssertInvariants()
    {
        for (var i = 1; i < heapCount; i++)
        {
            if (heap[i].Precedes(heap[(i - 1) >> ArityLog2]))
                throw new InvariantViolationException($"event heap out of order at index {i}: {slots[heap[i].Slot]}");
        }
        if (heapCount + chainedCount + freeSlotCount != slotsUsed)
            throw new InvariantViolationException(
                $"the queue holds {heapCount} heap keys, {chainedCount} chained deliveries and {freeSlotCount} free slots, but {slotsUsed} slots were handed out");
        for (var i = 1; i < fifoCount; i++)
        {
            var previous = fifo[(fifoHead + i - 1) & (fifo.Length - 1)];
            var current = fifo[(fifoHead + i) & (fifo.Length - 1)];
            if (!Envelope.Precedes(previous, current))
                throw new InvariantViolationException($"current-instant FIFO out of order at {i}: {current}");
        }
        for (var i = 0; i < heapCount; i++)
        {
            var key = heap[i];
            var envelope = slots[key.Slot];
            if (envelope.TargetRef is null || envelope.TimeTicks != key.TimeTicks || envelope.OriginKey != key.OriginKey)
                throw new InvariantViolationException($"event heap key {i} ({key.TimeTicks}, {key.OriginKey}) does not match its slot {key.Slot}");
            if (heapIndex[key.Slot] != i)
                throw new InvariantViolationException($"event heap key {i} is recorded at {heapIndex[key.Slot]} for its slot {key.Slot}");
        }
        AssertChains();
        crossing.AssertSorted("crossing");
    }

    /// <summary>Each origin host's FIFO is in key order, at one time, and the counts and the lowest non-empty host agree.</summary>
    private void AssertChains()
    {
        var counted = 0;
        var lowest = -1;
        for (var host = 0; host < chainHead.Length; host++)
        {
            var notEmpty = (chainsNotEmpty[host >> 6] & (1UL << host)) != 0;
            if (notEmpty != chainHead[host] >= 0)
                throw new InvariantViolationException($"host {host}'s current-instant FIFO is marked {(notEmpty ? "" : "not ")}empty wrongly");
            if (!notEmpty) continue;
            if (lowest < 0) lowest = host;
            var previous = -1;
            for (var slot = chainHead[host]; slot >= 0; slot = nextInChain[slot])
            {
                if (previous >= 0 && (!Envelope.Precedes(slots[previous], slots[slot]) || slots[previous].TimeTicks != slots[slot].TimeTicks))
                    throw new InvariantViolationException($"host {host}'s current-instant FIFO out of order: {slots[slot]}");
                if (slots[slot].OriginHost != host) throw new InvariantViolationException($"{slots[slot]} is in host {host}'s current-instant FIFO");
                previous = slot;
                counted++;
            }
            if (chainTail[host] != previous) throw new InvariantViolationException($"host {host}'s current-instant FIFO does not end at its tail");
        }
        if (counted != chainedCount) throw new InvariantViolationException($"current-instant FIFOs hold {counted} deliveries, counted {chainedCount}");
        if (lowest != lowestChain) throw new InvariantViolationException($"lowest non-empty current-instant FIFO is {lowest}, recorded {lowestChain}");
    }

    private void ThrowFull() =>
        throw new InvalidOperationException(
            $"The event queue holds {Count} pending deliveries, its limit ({lengthMax}); the simulation is " +
            "producing events faster than it consumes them. Raise ActorSystemSettings.EventQueueLengthMax " +
            "only if the workload really needs it.");
}
