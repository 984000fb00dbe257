#!/usr/bin/python3
"""A scripted MongoDB server for the MongoDB store's wire tests (python3-mockupdb).

Answers the handshake (hello / isMaster) and ping by itself. Every other command
is printed on stdout as one line, `COMMAND <canonical extended JSON>`, and the
test then says on stdin what to do with it: `REPLY <extended JSON>` or `HANGUP`
(close the connection without answering). Prints `PORT <n>` once listening.
"""
import sys

from bson import json_util
from bson.json_util import CANONICAL_JSON_OPTIONS
from mockupdb import MockupDB

HELLO = {
    'ismaster': True,
    'isWritablePrimary': True,
    'helloOk': True,
    'minWireVersion': 0,
    'maxWireVersion': 13,
    'maxBsonObjectSize': 16777216,
    'maxMessageSizeBytes': 48000000,
    'maxWriteBatchSize': 100000,
    'ok': 1,
}


def main():
    server = MockupDB(auto_ismaster=HELLO, request_timeout=3600)
    # MockupDB binds 'localhost', which may be ::1 first: the tests dial 127.0.0.1.
    server._address = ('127.0.0.1', 0)
    for name in ('hello', 'isMaster', 'ismaster'):
        server.autoresponds(name, HELLO)
    server.autoresponds('ping', {'ok': 1})
    server.autoresponds('endSessions', {'ok': 1})
    port = server.run()
    print('PORT %d' % port, flush=True)
    try:
        while True:
            request = server.receives()
            if request is None:
                break
            print('COMMAND ' + json_util.dumps(request.doc, json_options=CANONICAL_JSON_OPTIONS),
                  flush=True)
            line = sys.stdin.readline()
            if not line or line.startswith('QUIT'):
                break
            if line.startswith('HANGUP'):
                request.hangup()
            elif line.startswith('REPLY '):
                request.replies(json_util.loads(line[len('REPLY '):]))
            else:
                print('ERROR unknown instruction: ' + line.strip(), flush=True)
                break
    finally:
        server.stop()


if __name__ == '__main__':
    main()
