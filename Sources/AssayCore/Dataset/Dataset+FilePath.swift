/// Which file a record came from, for the browser's record detail (in a folder, the
/// line number alone does not say where the record is).
extension Dataset {
    public func filePath(at fileIndex: Int) -> String? {
        guard files.count > 1, files.indices.contains(fileIndex) else { return nil }
        return files[fileIndex].path
    }
}
