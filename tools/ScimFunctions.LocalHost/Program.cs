Console.WriteLine("local host");
