# cmake -DINPUT=<file> -DOUTPUT=<file.gz> -P gzip_file.cmake: compresses one playground asset.
file(ARCHIVE_CREATE OUTPUT ${OUTPUT} PATHS ${INPUT} FORMAT raw COMPRESSION GZip COMPRESSION_LEVEL 9)
