#!/usr/bin/env escript
%% An Erlang/OTP ssl client configured as the webhook sender
%% (shared/spec/sender-model.md section 6): TLS 1.2 only, the seed's cipher
%% suites and the sender's signature schemes passed explicitly, verify_peer
%% against a CA file, SNI, the HTTPS host-name match, and the client
%% certificate presented whenever asked.
%% After the handshake it sends one HEAD / and reads the status line, as a
%% delivery would meet an HTTP-level refusal.
%%
%% One VM serves many connections: each line on standard input is a
%% request, tab-separated,
%%   ID HOST PORT SNI CAFILE CERTFILE|- KEYFILE|- TIMEOUT_MS SUITE...
%% and each is answered, in its own process and in any order, with one line
%%   ID ok PROTOCOL SUITE http STATUS-LINE | ID ok PROTOCOL SUITE http none
%%   ID refused PROTOCOL SUITE REASON   (the handshake completed, the request did not)
%%   ID error REASON                    (the handshake failed)
%% The VM stops at the end of its input.
main(_) ->
    {ok, _} = application:ensure_all_started(ssl),
    io:format("ready~n"),
    loop().

loop() ->
    case io:get_line("") of
        eof -> ok;
        {error, _} -> ok;
        Line ->
            case string:split(string:trim(Line, trailing, "\r\n"), "\t", all) of
                [Id | Args] when length(Args) >= 7 ->
                    spawn(fun() -> answer(Id, Args) end);
                _ ->
                    io:format("bad request ~0p~n", [Line])
            end,
            loop()
    end.

answer(Id, Args) ->
    Out = try connect(Args)
          catch Class:Reason -> io_lib:format("error {crash,~0p,~0p}", [Class, Reason])
          end,
    io:format("~s ~s~n", [Id, Out]).

connect([Host, Port, SNI, CAFile, CertFile, KeyFile, TimeoutMs | Suites]) ->
    Timeout = list_to_integer(TimeoutMs),
    Ciphers = [ssl:str_to_suite(S) || S <- Suites],
    Opts = [{versions, ['tlsv1.2']},
            {ciphers, Ciphers},
            %% sender-model.md section 2: the TLS 1.2 signature schemes of
            %% the sender's OTP (21-22), which OTP 25 extends with RSA-PSS.
            {signature_algs, [{sha512, ecdsa}, {sha512, rsa}, {sha384, ecdsa}, {sha384, rsa},
                              {sha256, ecdsa}, {sha256, rsa}, {sha224, ecdsa}, {sha224, rsa},
                              {sha, ecdsa}, {sha, rsa}, {sha, dsa}]},
            {verify, verify_peer},
            {cacertfile, CAFile},
            {server_name_indication, SNI},
            {customize_hostname_check, [{match_fun, public_key:pkix_verify_hostname_match_fun(https)}]},
            {active, false}]
        ++ client_cert(CertFile, KeyFile),
    case ssl:connect(Host, list_to_integer(Port), Opts, Timeout) of
        {ok, S} ->
            {ok, Info} = ssl:connection_information(S, [protocol, selected_cipher_suite]),
            Proto = proplists:get_value(protocol, Info),
            Suite = ssl:suite_to_str(proplists:get_value(selected_cipher_suite, Info)),
            Sent = ssl:send(S, ["HEAD / HTTP/1.1\r\nHost: ", SNI, "\r\nConnection: close\r\n\r\n"]),
            Out = case Sent =:= ok andalso ssl:recv(S, 0, min(Timeout, 3000)) of
                      false ->
                          {error, SendErr} = Sent,
                          io_lib:format("refused ~s ~s ~0p", [Proto, Suite, SendErr]);
                      {ok, Data} ->
                          [StatusLine | _] = string:split(Data, "\r\n"),
                          io_lib:format("ok ~s ~s http ~s", [Proto, Suite, string:replace(StatusLine, "\n", " ", all)]);
                      {error, timeout} ->
                          io_lib:format("ok ~s ~s http none", [Proto, Suite]);
                      {error, Reason} ->
                          io_lib:format("refused ~s ~s ~0p", [Proto, Suite, Reason])
                  end,
            ssl:close(S),
            Out;
        {error, Reason} ->
            io_lib:format("error ~0p", [Reason])
    end.

client_cert("-", _) -> [];
client_cert(CertFile, KeyFile) -> [{certfile, CertFile}, {keyfile, KeyFile}].
