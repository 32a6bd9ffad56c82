using System.Runtime.InteropServices;

namespace ECase.Infrastructure.Content;

/// <summary>
/// fsync of a directory (.NET cannot open one as a file handle), so that a rename into it is durable; and early writeback
/// of a large file being written, so that its final fsync waits only for the tail.
/// </summary>
internal static partial class FsyncNative
{
    private const int ReadOnly = 0;
    private const int Directory = 0x10000; // O_DIRECTORY on Linux (x86-64 and arm64)

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    private const uint SyncFileRangeWrite = 2; // SYNC_FILE_RANGE_WRITE: start writeback of dirty pages, do not wait

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    private static partial int SyncFileRange(int fd, long offset, long nbytes, uint flags);

    /// <summary>Starts writing the file's dirty pages to disk and returns at once (Linux; elsewhere nothing). Best effort: a failure only means the final fsync does the work.</summary>
    public static void StartWriteback(Microsoft.Win32.SafeHandles.SafeFileHandle file)
    {
        if (!OperatingSystem.IsLinux()) return;
        var added = false;
        try
        {
            file.DangerousAddRef(ref added);
            _ = SyncFileRange((int)file.DangerousGetHandle(), 0, 0, SyncFileRangeWrite);
        }
        finally
        {
            if (added) file.DangerousRelease();
        }
    }

    public static void FsyncDirectory(string path)
    {
        var fd = Open(path, ReadOnly | Directory);
        if (fd < 0) throw new System.IO.IOException($"open({path}) failed with errno {Marshal.GetLastPInvokeError()}.");
        try
        {
            if (Fsync(fd) != 0) throw new System.IO.IOException($"fsync({path}) failed with errno {Marshal.GetLastPInvokeError()}.");
        }
        finally
        {
            Close(fd);
        }
    }
}
