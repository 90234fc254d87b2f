package dev.dynamo.store;

import dev.dynamo.DynamoException;
import dev.dynamo.items.PrivateFiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A directory on this machine. Files are private (0600, in 0700 directories made through
 * {@link PrivateFiles}) and never read or written through a symbolic link at or below the root: on a
 * shared machine someone could plant one at a predictable export path. The root itself, which the user
 * named, may be or lie under a link.
 *
 * <p>A new object is written to {@code .NAME.partial} beside its name, then fsynced and renamed, so
 * the name holds either the old object or the whole new one. A temporary left by a killed process is
 * replaced by the next write of that name and is never listed.
 *
 * <p>Thread-safe: it holds no state but its root.
 */
final class LocalStore implements ExportStore {
    static final String TEMPORARY_SUFFIX = ".partial";
    private static final int BUFFER_BYTES = 64 * 1024;

    private final Path root;

    LocalStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public String describe() {
        return root.toString();
    }

    @Override
    public String locationOf(String name) {
        return root.resolve(name).toString();
    }

    /** The path of a checked name, after refusing any link between the root and it. */
    private Path path(String name) {
        ObjectNames.check(name, describe());
        Path path = root;
        for (String part : name.split("/")) {
            path = path.resolve(part);
            refuseLink(path);
        }
        return path;
    }

    private static void refuseLink(Path path) {
        if (Files.isSymbolicLink(path)) {
            throw DynamoException.usage(path + " is a symbolic link, which dynamo does not read or write through;"
                    + " remove it or choose another directory");
        }
    }

    static boolean isTemporary(String fileName) {
        return fileName.startsWith(".") && fileName.endsWith(TEMPORARY_SUFFIX);
    }

    @Override
    public List<StoredObject> list(String prefix) {
        String checked = ObjectNames.checkPrefix(prefix, describe());
        // Walk only the directory the prefix names ("AWSDynamoDB/0176/data/" -> that directory).
        int slash = checked.lastIndexOf('/');
        Path start = slash < 0 ? root : path(checked.substring(0, slash));
        List<StoredObject> objects = new ArrayList<>();
        if (!Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) {
            return objects;
        }
        try {
            // Without FOLLOW_LINKS a link is visited as a file (its attributes say so), never entered.
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isSymbolicLink()) {
                        refuseLink(file);
                    }
                    if (attributes.isRegularFile() && !isTemporary(file.getFileName().toString())) {
                        String name = name(file);
                        if (name.startsWith(checked)) {
                            objects.add(new StoredObject(name, attributes.size(), null));
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw DynamoException.failure("cannot list " + start + ": " + e.getMessage(), e);
        }
        objects.sort((a, b) -> ObjectNames.UTF8_ORDER.compare(a.name(), b.name()));
        return objects;
    }

    private String name(Path file) {
        StringBuilder name = new StringBuilder();
        for (Path part : root.relativize(file)) {
            if (name.length() > 0) {
                name.append('/');
            }
            name.append(part);
        }
        return name.toString();
    }

    @Override
    public Optional<StoredObject> stat(String name) {
        Path path = path(name);
        if (!Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        MessageDigest md5 = md5();
        long size = 0;
        try (InputStream in = new DigestInputStream(Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS), md5)) {
            byte[] buffer = new byte[BUFFER_BYTES];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                size += n;
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw DynamoException.failure("cannot read " + path + ": " + e.getMessage(), e);
        }
        return Optional.of(new StoredObject(name, size, HexFormat.of().formatHex(md5.digest())));
    }

    @Override
    public InputStream open(String name) {
        Path path = path(name);
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            throw DynamoException.usage(path + " is a directory, not a file: the location is wrong");
        }
        try {
            return new BufferedInputStream(Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS), BUFFER_BYTES);
        } catch (NoSuchFileException e) {
            throw DynamoException.usage("no file " + path + ": the export is incomplete, or the location is wrong");
        } catch (IOException e) {
            throw DynamoException.failure("cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public StoredOutput create(String name) {
        Path target = path(name);
        if (isTemporary(target.getFileName().toString())) {
            throw DynamoException.usage("cannot write " + target + ": names like .NAME" + TEMPORARY_SUFFIX
                    + " are this tool's temporaries, which are never listed");
        }
        try {
            PrivateFiles.createDirectories(target.getParent());
            // A directory made meanwhile by someone else could be a link: check again now that they exist.
            path(name);
            if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                throw DynamoException.usage(target + " is a directory; remove it or choose another location");
            }
            Path temporary = target.resolveSibling("." + target.getFileName() + TEMPORARY_SUFFIX);
            // Left by a killed run (or planted): deleting a link removes the link, not what it points to.
            Files.deleteIfExists(temporary);
            return new LocalOutput(name, target, temporary, PrivateFiles.open(temporary, true));
        } catch (IOException e) {
            throw DynamoException.failure("cannot create " + target + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(String name) {
        Path path = path(name);
        try {
            if (Files.deleteIfExists(path)) {
                PrivateFiles.syncDirectory(path.getParent());
            }
        } catch (IOException e) {
            throw DynamoException.failure("cannot delete " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        // nothing held
    }

    static MessageDigest md5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has MD5", e);
        }
    }

    /** One file being written: to its temporary, renamed at commit. */
    private static final class LocalOutput implements StoredOutput {
        private final String name;
        private final Path target;
        private final Path temporary;
        private final FileChannel channel;
        private final MessageDigest md5 = md5();
        private final CountingStream stream;
        private boolean committed;
        private boolean aborted;

        LocalOutput(String name, Path target, Path temporary, FileChannel channel) {
            this.name = name;
            this.target = target;
            this.temporary = temporary;
            this.channel = channel;
            this.stream = new CountingStream(new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER_BYTES));
        }

        @Override
        public OutputStream stream() {
            return stream;
        }

        @Override
        public StoredObject commit() {
            if (committed || aborted) {
                throw new IllegalStateException(target + " was already " + (committed ? "committed" : "aborted"));
            }
            try {
                stream.flushToChannel();
                channel.force(true);
                channel.close();
                refuseLink(target);
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
                PrivateFiles.syncDirectory(target.getParent());
                committed = true;
                return new StoredObject(name, stream.count, HexFormat.of().formatHex(md5.digest()));
            } catch (IOException | RuntimeException e) {
                abort();
                if (e instanceof DynamoException dynamo) {
                    throw dynamo;
                }
                throw DynamoException.failure("cannot write " + target + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void abort() {
            if (committed || aborted) {
                return;
            }
            aborted = true;
            try {
                channel.close();
                Files.deleteIfExists(temporary);
            } catch (IOException e) {
                // a temporary left behind is private, never listed, and replaced by the next write of the name
            }
        }

        @Override
        public void close() {
            abort();
        }

        /** Counts and digests the bytes; closing it only flushes (the object is finished by commit). */
        private final class CountingStream extends OutputStream {
            private final OutputStream out;
            private long count;
            private boolean closed;

            CountingStream(OutputStream out) {
                this.out = out;
            }

            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] bytes, int offset, int length) {
                if (closed || committed || aborted) {
                    throw new IllegalStateException("writing " + target + " after it was closed");
                }
                try {
                    out.write(bytes, offset, length);
                } catch (IOException e) {
                    throw DynamoException.failure("cannot write " + target + ": " + e.getMessage(), e);
                }
                md5.update(bytes, offset, length);
                count += length;
            }

            @Override
            public void flush() {
                if (!closed && !committed && !aborted) {
                    flushToChannel();
                }
            }

            void flushToChannel() {
                try {
                    out.flush();
                } catch (IOException e) {
                    throw DynamoException.failure("cannot write " + target + ": " + e.getMessage(), e);
                }
            }

            @Override
            public void close() {
                if (!closed && !committed && !aborted) {
                    flushToChannel();
                }
                closed = true;
            }
        }
    }
}
